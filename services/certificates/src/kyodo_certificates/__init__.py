"""Certificates: 住民票の写し, 課税証明書, 罹災証明書, from read models of events."""
