"""Tax: individual resident tax (個人住民税), assessed correctly and in bulk."""
