"""The deployment files agree with the code: Dockerfile, docker-compose.yml and deploy/k8s.

Offline and fast: the kustomize overlays are rendered by the small renderer below (the subset of
kustomize these files use; anything else is refused), cross-checked against a real kustomize
when one is on PATH, and the built-in objects are validated against the Kubernetes schemas
shipped in the kubernetes-validate package. Names of environment variables, modules, commands,
ports and topics are taken from the code, so a rename there fails here.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import inspect
import re
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod", "cell")
# Overlays sized for a load (docs/adr/0020-national-scale.md): production-grade, larger.
SIZED_OVERLAYS = ("cell",)
KUBERNETES_VERSION = "1.31"

Obj = dict[str, Any]

# --------------------------------------------------------------------------------------------
# What the files are expected to contain, as far as the code does not say it.
# --------------------------------------------------------------------------------------------

# Custom resources (no schema in kubernetes-validate): the operators the manifests rely on.
CUSTOM_KINDS = {
    ("kafka.strimzi.io/v1beta2", "Kafka"),
    ("kafka.strimzi.io/v1beta2", "KafkaNodePool"),
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"),
    ("kafka.strimzi.io/v1beta2", "KafkaUser"),
    ("postgresql.cnpg.io/v1", "Cluster"),
    ("postgresql.cnpg.io/v1", "ScheduledBackup"),
    ("barmancloud.cnpg.io/v1", "ObjectStore"),
}
SERVICE_DATABASES = ("identity", "residents", "certificates", "tax", "disaster", "automation",
                     "webhooks")
ROLE_KINDS = ("owner", "app", "relay")
# Secrets are created outside the repository and only referenced by name: one per database
# role (kyodo-db-<service>-<owner|app|relay>), each role with its own password, and one per
# service's own keys (kyodo-<service>-keys) with the gateway's public key apart.
DB_ROLE_SECRETS = {f"kyodo-db-{s}-{k}" for s in SERVICE_DATABASES for k in ROLE_KINDS}
# Strimzi's user operator makes a Secret per KafkaUser, of the user's name (kafka-users.yaml).
KAFKA_USER_SECRETS = {*(f"kyodo-{s}-worker" for s in SERVICE_DATABASES), "kyodo-migrate"}
REFERENCED_SECRETS = {"kyodo-pg-superuser", "kyodo-gateway-public-key", *DB_ROLE_SECRETS,
                      *KAFKA_USER_SECRETS,
                      *(f"kyodo-{s}-keys" for s in ("gateway", "identity", "residents",
                                                     "certificates", "automation",
                                                     "webhooks", "counter"))}
# Each service's own keys (ADR 0003): no other process may be given them.
OWN_KEYS = {
    "gateway": {"KYODO_GATEWAY_ASSERTION_KEY"},
    "identity": {"KYODO_IDENTITY_KEY_ENCRYPTION_KEYS", "KYODO_IDENTITY_FINGERPRINT_KEY"},
    "residents": {"KYODO_MY_NUMBER_KEYS"},
    "certificates": {"KYODO_CERTIFICATES_SEALING_KEYS", "KYODO_CERTIFICATES_ROOT_CA"},
    "automation": {"KYODO_AUTOMATION_ACCOUNT_KEYS"},
    "webhooks": {"KYODO_WEBHOOKS_SECRET_KEYS"},
    "counter": {"KYODO_COUNTER_SESSION_KEYS"},
}
# HTTP processes: Deployment/compose service name -> the module it runs.
APIS = {
    "identity": "kyodo_identity",
    "residents": "kyodo_residents",
    "certificates": "kyodo_certificates",
    "tax": "kyodo_tax",
    "disaster": "kyodo_disaster",
    "automation": "kyodo_automation",
    "webhooks": "kyodo_webhooks",
    "gateway": "kyodo_gateway",
}
# The people's apps (clients of the gateway, not services): their own settings class.
APPS = {"counter": "kyodo_counter"}
WORKERS = {
    "identity-worker": "kyodo_identity.worker",
    "residents-worker": "kyodo_residents.worker",
    "certificates-worker": "kyodo_certificates.worker",
    "tax-worker": "kyodo_tax.worker",
    "disaster-worker": "kyodo_disaster.worker",
    "automation-worker": "kyodo_automation.worker",
    "webhooks-worker": "kyodo_webhooks.worker",
}
# Options the deployment files pass to `kyodo` before the CLI has them. Remove an entry once
# the CLI has the option (the test below fails until then, so the list cannot go stale).
PENDING_CLI_OPTIONS: set[tuple[str, str]] = set()
# Compose services without a healthcheck, and why.
COMPOSE_WITHOUT_HEALTHCHECK = {
    "migrate": "one-shot job; dependants wait for service_completed_successfully",
    "otel-collector": "distroless image: nothing inside to run a check with",
}
COMPOSE_PUBLISHING_PORTS = {"gateway", "counter", "jaeger", "prometheus"}


# --------------------------------------------------------------------------------------------
# A small kustomize: resources, namespace, labels, images, patches (strategic merge and JSON
# 6902, with or without target) and configMapGenerator without name hashes.
# --------------------------------------------------------------------------------------------

_KUSTOMIZATION_FIELDS = {"apiVersion", "kind", "resources", "namespace", "labels", "images",
                         "patches", "configMapGenerator"}
_CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                   "PriorityClass", "StorageClass", "IngressClass", "PersistentVolume"}
_BUILTIN_GROUPS = {"", "apps", "batch", "autoscaling", "policy", "networking.k8s.io"}
# Strategic-merge keys of the lists the patches touch (kustomize merges built-in kinds' lists
# by these keys; custom resources' lists are replaced, as in a JSON merge patch).
_MERGE_KEYS = {"containers": "name", "initContainers": "name", "env": "name",
               "volumes": "name", "volumeMounts": "mountPath"}


def render(directory: Path) -> list[Obj]:
    spec = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(spec) - _KUSTOMIZATION_FIELDS
    if unknown:
        raise NotImplementedError(f"{directory}: kustomization fields {sorted(unknown)}")
    objects: list[Obj] = []
    for entry in spec.get("resources", []):
        path = directory / entry
        if path.is_dir():
            objects += render(path)
        else:
            objects += [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    objects += [_config_map(directory, generator) for generator in
                spec.get("configMapGenerator", [])]
    for patch in spec.get("patches", []):
        _apply_patch(objects, directory, patch)
    if "namespace" in spec:
        for obj in objects:
            if obj["kind"] in _CLUSTER_SCOPED:
                raise NotImplementedError(f"namespace on a cluster-scoped {obj['kind']}")
            obj["metadata"]["namespace"] = spec["namespace"]
    for label in spec.get("labels", []):
        if label.get("includeSelectors") or label.get("includeTemplates"):
            raise NotImplementedError("labels with includeSelectors/includeTemplates")
        for obj in objects:
            obj["metadata"].setdefault("labels", {}).update(label["pairs"])
    for image in spec.get("images", []):
        for obj in objects:
            _set_image(obj, image)
    return objects


def _config_map(directory: Path, generator: Obj) -> Obj:
    options = generator.get("options", {})
    if not options.get("disableNameSuffixHash") or set(generator) - {"name", "files",
                                                                      "options"}:
        raise NotImplementedError("configMapGenerator: only files, without name hash")
    data = {}
    for entry in generator["files"]:
        key, _, path = entry.rpartition("=")
        data[key or Path(path).name] = (directory / path).read_text()
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]},
            "data": data}


def _group(obj: Obj) -> str:
    api_version: str = obj["apiVersion"]
    return api_version.rpartition("/")[0]


def _apply_patch(objects: list[Obj], directory: Path, patch: Obj) -> None:
    text = (directory / patch["path"]).read_text() if "path" in patch else patch["patch"]
    docs = [doc for doc in yaml.safe_load_all(text) if doc]
    target = patch.get("target")
    if len(docs) == 1 and isinstance(docs[0], list):  # JSON 6902: needs a target
        assert target, "a JSON patch needs a target"
        targeted = [o for o in objects if _selected(o, target)]
        assert targeted, f"JSON patch matches nothing: {target}"
        for obj in targeted:
            for operation in docs[0]:
                _json_patch(obj, operation)
        return
    for doc in docs:  # strategic merge: the target, or the object the patch names
        selector = target or {"kind": doc["kind"], "name": doc["metadata"]["name"],
                              "group": _group(doc)}
        matched = [i for i, o in enumerate(objects) if _selected(o, selector)]
        assert matched, f"patch matches nothing: {selector}"
        changes = {k: v for k, v in doc.items() if k not in ("apiVersion", "kind", "metadata")}
        for index in matched:
            obj = objects[index]
            merged = _merge(obj, changes, _group(obj) in _BUILTIN_GROUPS)
            labels = doc.get("metadata", {}).get("labels")
            if labels:
                merged["metadata"].setdefault("labels", {}).update(labels)
            objects[index] = merged


def _selected(obj: Obj, target: Obj) -> bool:
    if "kind" in target and obj["kind"] != target["kind"]:
        return False
    if "group" in target and _group(obj) != target["group"]:
        return False
    if "name" in target and not re.fullmatch(target["name"], obj["metadata"]["name"]):
        return False
    unknown = set(target) - {"kind", "group", "name", "version"}
    if unknown:
        raise NotImplementedError(f"patch target fields {sorted(unknown)}")
    return True


def _merge(base: Any, patch: Any, builtin: bool, key: str | None = None) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for k, v in patch.items():
            if v is None:
                merged.pop(k, None)
            else:
                merged[k] = _merge(base[k], v, builtin, k) if k in base else copy.deepcopy(v)
        return merged
    if builtin and key in _MERGE_KEYS and isinstance(base, list) and isinstance(patch, list):
        merge_key = _MERGE_KEYS[key]
        merged_list = [copy.deepcopy(item) for item in base]
        for item in patch:
            position = next((i for i, old in enumerate(merged_list)
                             if old.get(merge_key) == item.get(merge_key)), None)
            if position is None:
                merged_list.append(copy.deepcopy(item))
            else:
                merged_list[position] = _merge(merged_list[position], item, builtin)
        return merged_list
    return copy.deepcopy(patch)


def _json_patch(obj: Obj, operation: Obj) -> None:
    *parents, last = [p.replace("~1", "/").replace("~0", "~")
                      for p in operation["path"].lstrip("/").split("/")]
    node: Any = obj
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    op = operation["op"]
    if isinstance(node, list):
        index = len(node) if last == "-" else int(last)
        if op == "add":
            node.insert(index, copy.deepcopy(operation["value"]))
        elif op == "replace":
            node[index] = copy.deepcopy(operation["value"])
        elif op == "remove":
            del node[index]
        else:
            raise NotImplementedError(op)
    elif op in ("add", "replace"):
        if op == "replace":
            assert last in node, f"replace of missing {operation['path']}"
        node[last] = copy.deepcopy(operation["value"])
    elif op == "remove":
        del node[last]
    else:
        raise NotImplementedError(op)


def _split_image(image: str) -> tuple[str, str | None]:
    name = image.partition("@")[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:]
    return name, None


def _set_image(node: Any, image: Obj) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                for container in value:
                    name, tag = _split_image(container["image"])
                    if name == image["name"]:
                        new_tag = image.get("newTag", tag)
                        container["image"] = image.get("newName", name) + (
                            f":{new_tag}" if new_tag else "")
            else:
                _set_image(value, image)
    elif isinstance(node, list):
        for item in node:
            _set_image(item, image)


def _identity(obj: Obj) -> tuple[str, str, str, str]:
    meta = obj["metadata"]
    return obj["apiVersion"], obj["kind"], meta.get("namespace", ""), meta["name"]


@cache
def rendered(overlay: str) -> tuple[Obj, ...]:
    return tuple(render(K8S / "overlays" / overlay))


def objects(overlay: str, kind: str) -> dict[str, Obj]:
    return {o["metadata"]["name"]: o for o in rendered(overlay) if o["kind"] == kind}


def containers(overlay: str) -> Iterator[tuple[Obj, Obj]]:
    """(workload, container) of every Deployment and Job."""
    for obj in rendered(overlay):
        if obj["kind"] in ("Deployment", "Job"):
            for container in obj["spec"]["template"]["spec"]["containers"]:
                yield obj, container


def kyodo_containers(overlay: str) -> Iterator[tuple[Obj, Obj]]:
    for workload, container in containers(overlay):
        if "/kyodo/" in container["image"] or container["image"].startswith("kyodo/"):
            yield workload, container


# --------------------------------------------------------------------------------------------
# What the code reads and runs.
# --------------------------------------------------------------------------------------------


def _aliases(settings_class: type) -> set[str]:
    names: set[str] = set()
    if settings_class is launcher_settings():  # `kyodo migrate`: one variable per role
        from kyodo_launcher.catalogue import all_roles
        from kyodo_launcher.config import role_password_variable

        names.update(role_password_variable(role) for role in all_roles())
    for field in settings_class.model_fields.values():  # type: ignore[attr-defined]
        alias = field.validation_alias
        if isinstance(alias, str):
            names.add(alias)
        elif alias is not None:
            names.update(str(choice) for choice in alias.choices)
    return names


def settings_class(module: str) -> type:
    """The settings class a `python -m <module>` process reads (its package's settings)."""
    from kyodo_common.settings import ServiceSettings

    settings_module = importlib.import_module(module.split(".")[0] + ".settings")
    if module in APPS.values():  # an app's one Settings class (pydantic BaseSettings)
        from pydantic_settings import BaseSettings

        (app_settings,) = [cls for _, cls in inspect.getmembers(settings_module, inspect.isclass)
                           if issubclass(cls, BaseSettings) and cls is not BaseSettings
                           and cls.__module__ == settings_module.__name__]
        return app_settings
    classes = [cls for _, cls in inspect.getmembers(settings_module, inspect.isclass)
               if issubclass(cls, ServiceSettings) and cls is not ServiceSettings
               and cls.__module__ == settings_module.__name__]
    assert len(classes) == 1, f"{settings_module.__name__}: {classes}"
    found: type = classes[0]
    return found


def launcher_settings() -> type:
    from kyodo_launcher.config import LauncherSettings

    found: type = LauncherSettings
    return found


def check_command(command: list[str]) -> type:
    """The command exists; returns the settings class the process reads."""
    if command[:2] == ["python", "-m"]:
        module = command[2]
        assert importlib.util.find_spec(module) is not None, f"no module {module}"
        return settings_class(module)
    assert command[0] == "kyodo", command
    import typer

    from kyodo_launcher.cli import app

    group = typer.main.get_command(app)
    sub = group.commands[command[1]]  # type: ignore[attr-defined]
    known = {opt for param in sub.params for opt in (*param.opts, *param.secondary_opts)}
    for option in command[2:]:
        if (command[1], option) in PENDING_CLI_OPTIONS:
            assert option not in known, (
                f"`kyodo {command[1]}` has {option} now: drop it from PENDING_CLI_OPTIONS")
        else:
            assert option in known, f"`kyodo {command[1]}` has no option {option}"
    return launcher_settings()


def all_topics() -> dict[str, int]:
    from kyodo_launcher.catalogue import all_topics as topics

    found: dict[str, int] = topics()
    return found


# ============================================================================================
# Kubernetes
# ============================================================================================


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_renders_to_named_unique_objects(overlay: str) -> None:
    objs = rendered(overlay)
    ids = [_identity(o) for o in objs]
    assert len(ids) == len(set(ids)), "duplicate objects"
    for obj in objs:
        assert obj["apiVersion"] and obj["kind"] and obj["metadata"]["name"]
        assert obj["metadata"]["namespace"] == ("kyodo-dev" if overlay == "dev" else "kyodo")
        assert obj["metadata"]["labels"]["app.kubernetes.io/part-of"] == "kyodo"
    assert not [o for o in objs if o["kind"] == "Secret"], "secrets are referenced, not inlined"


def _real_kustomize() -> list[str] | None:
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return None


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_renderer_agrees_with_kustomize(overlay: str) -> None:
    command = _real_kustomize()
    if command is None:
        pytest.skip("no kustomize or kubectl on PATH; the renderer above stands alone")
    result = subprocess.run([*command, str(K8S / "overlays" / overlay)], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    theirs = {_identity(o): o for o in yaml.safe_load_all(result.stdout) if o}
    ours = {_identity(o): o for o in rendered(overlay)}
    assert sorted(ours) == sorted(theirs)
    for key, obj in ours.items():
        assert obj == theirs[key], key


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_builtin_objects_match_the_kubernetes_schemas(overlay: str) -> None:
    for obj in rendered(overlay):
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            assert isinstance(obj.get("spec"), dict), _identity(obj)
            continue
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            pytest.fail(f"{_identity(obj)}: {error}")


def test_schema_validation_catches_unknown_fields() -> None:
    deployment = copy.deepcopy(objects("prod", "Deployment")["gateway"])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_every_object_of_the_broken_manifest_fixture_is_refused() -> None:
    broken = [o for o in yaml.safe_load_all(
        (Path(__file__).parent / "fixtures" / "broken-deployment.yaml").read_text()) if o]
    assert len(broken) == 3
    for obj in broken:
        with pytest.raises(kubernetes_validate.ValidationError):
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_kafka_topics_are_the_codes_topics(overlay: str) -> None:
    topics = objects(overlay, "KafkaTopic")
    (cluster,) = objects(overlay, "Kafka")
    brokers = sum(pool["spec"]["replicas"] for pool in objects(overlay, "KafkaNodePool").values()
                  if "broker" in pool["spec"]["roles"])
    declared = {t["spec"]["topicName"]: t["spec"]["partitions"] for t in topics.values()}
    if overlay in SIZED_OVERLAYS:  # the code's counts are a minimum a cell may raise (ADR 0020)
        assert declared.keys() == all_topics().keys()
        assert all(declared[name] >= count for name, count in all_topics().items())
        assert all(declared[name] == 1 for name in declared if name.endswith(".dlq"))
    else:
        assert declared == all_topics()
    for topic in topics.values():
        assert topic["metadata"]["labels"]["strimzi.io/cluster"] == cluster
        assert topic["spec"]["replicas"] <= brokers
        assert topic["spec"]["config"]["min.insync.replicas"] <= topic["spec"]["replicas"]
        if overlay in ("prod", *SIZED_OVERLAYS):
            assert topic["spec"]["replicas"] >= 3
            assert topic["spec"]["config"]["min.insync.replicas"] >= 2


def _acl(user: Obj) -> set[tuple[str, str, str, str]]:
    return {(rule["resource"]["type"], rule["resource"]["name"],
             rule["resource"]["patternType"], operation)
            for rule in user["spec"]["authorization"]["acls"] for operation in rule["operations"]}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_kafka_client_logs_in_as_its_own_user_allowed_only_what_its_code_does(
    overlay: str,
) -> None:
    (kafka,) = objects(overlay, "Kafka").values()
    (listener,) = kafka["spec"]["kafka"]["listeners"]
    assert listener["tls"] is True
    assert listener["authentication"]["type"] == "scram-sha-512"
    assert kafka["spec"]["kafka"]["authorization"]["type"] == "simple"
    users = objects(overlay, "KafkaUser")
    assert set(users) == KAFKA_USER_SECRETS
    for name in SERVICE_DATABASES:
        worker = importlib.import_module(f"kyodo_{name}.worker")
        events = importlib.import_module(f"kyodo_{name}_events")
        consumed = {s.event.topic for s in worker.SUBSCRIPTIONS}
        expected = {("topic", t, "literal", op) for t in events.TOPICS
                    for op in ("Describe", "Write")}
        expected |= {("topic", t, "literal", op) for t in consumed for op in ("Describe", "Read")}
        expected |= {("topic", f"{t}.dlq", "literal", op) for t in consumed
                     for op in ("Describe", "Write")}
        expected |= {("group", worker.CONSUMER, "literal", op) for op in ("Describe", "Read")}
        assert _acl(users[f"kyodo-{name}-worker"]) == expected, name
    assert _acl(users["kyodo-migrate"]) == {("topic", "kyodo.", "prefix", "Create"),
                                            ("topic", "kyodo.", "prefix", "Describe")}
    logged_in: dict[str, str] = {}
    for workload, container in kyodo_containers(overlay):
        env = _container_env(overlay, container)
        if "KAFKA_BOOTSTRAP_SERVERS" not in env or workload["metadata"]["name"] in APIS:
            assert "KAFKA_SASL_PASSWORD" not in env, workload["metadata"]["name"]
            continue
        where = f"{overlay}/{workload['metadata']['name']}"
        user = env["KAFKA_SASL_USERNAME"]["value"]
        assert user in users, where
        assert logged_in.setdefault(user, where) == where, f"{where} shares {user}"
        assert env["KAFKA_SASL_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
            "name": user, "key": "password"}, where
        settings = launcher_settings().model_validate(_resolved(overlay, env))
        assert settings.kafka_security_protocol == "SASL_SSL", where
        mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
        assert settings.kafka_ssl_cafile.startswith(
            next(p for p in mounts if p.startswith("/etc/kyodo/kafka-ca"))), where


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_kyodo_container_runs_code_that_exists(overlay: str) -> None:
    names = set()
    for workload, container in kyodo_containers(overlay):
        names.add(workload["metadata"]["name"])
        check_command(container["command"])
        expected = (APIS.get(workload["metadata"]["name"])
                    or WORKERS.get(workload["metadata"]["name"])
                    or APPS.get(workload["metadata"]["name"]))
        if expected:
            assert container["command"] == ["python", "-m", expected]
    assert names == {*APIS, *WORKERS, *APPS, "kyodo-migrate"}


def _container_env(overlay: str, container: Obj) -> dict[str, Obj]:
    """Every variable the container gets: its env entries and its ConfigMaps' keys."""
    env: dict[str, Obj] = {}
    maps = objects(overlay, "ConfigMap")
    for source in container.get("envFrom", []):
        config_map = maps[source["configMapRef"]["name"]]
        env.update({k: {"name": k, "value": v} for k, v in config_map["data"].items()})
    env.update({e["name"]: e for e in container.get("env", [])})
    return env


def _resolved(overlay: str, env: dict[str, Obj]) -> dict[str, str]:
    """The values the process would see; secrets replaced by stand-ins."""
    values: dict[str, str] = {}
    for name, entry in env.items():
        if "value" in entry:
            values[name] = entry["value"]
        elif "secretKeyRef" in entry["valueFrom"]:
            values[name] = "stand-in-" + name.lower()
        else:
            ref = entry["valueFrom"]["configMapKeyRef"]
            values[name] = objects(overlay, "ConfigMap")[ref["name"]]["data"][ref["key"]]
    return {name: re.sub(r"\$\((\w+)\)", lambda m: values[m.group(1)], value)
            for name, value in values.items()}


def _role_secrets_expected(workload: str) -> set[str]:
    """The database roles' Secrets a process may read: its service's app (API), app and relay
    (worker); every one for the migration job, the only one with the owners'."""
    if workload == "kyodo-migrate":
        return DB_ROLE_SECRETS
    service = workload.removesuffix("-worker")
    if service not in SERVICE_DATABASES:
        return set()
    return {f"kyodo-db-{service}-app"} | (
        {f"kyodo-db-{service}-relay"} if workload in WORKERS else set())


def test_the_service_databases_are_the_catalogues() -> None:
    from kyodo_launcher.catalogue import SERVICES, all_roles

    assert SERVICE_DATABASES == tuple(spec.name for spec in SERVICES)
    assert {f"kyodo-db-{r.removeprefix('kyodo_').replace('_', '-')}" for r in all_roles()} \
        == DB_ROLE_SECRETS


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_role_password_reaches_only_the_processes_that_log_in_as_it(overlay: str) -> None:
    for workload, container in kyodo_containers(overlay):
        name = workload["metadata"]["name"]
        refs = {e["valueFrom"]["secretKeyRef"]["name"] for e in container.get("env", [])
                if "secretKeyRef" in e.get("valueFrom", {})}
        assert refs & DB_ROLE_SECRETS == _role_secrets_expected(name), f"{overlay}/{name}"


def test_compose_gives_each_role_password_only_to_the_processes_that_log_in_as_it() -> None:
    for name, service in kyodo_compose_services().items():
        used = set(re.findall(r"KYODO_DB_PASSWORD_(\w+?)_(OWNER|APP|RELAY)\b",
                              " ".join(str(v) for v in service["environment"].values())))
        secrets = {f"kyodo-db-{s.lower()}-{k.lower()}" for s, k in used}
        assert secrets == _role_secrets_expected(
            "kyodo-migrate" if name == "migrate" else name), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_container_env_is_what_the_settings_read(overlay: str) -> None:
    for workload, container in kyodo_containers(overlay):
        where = f"{overlay}/{workload['metadata']['name']}"
        cls = check_command(container["command"])
        env = _container_env(overlay, container)
        # Variables only there to be expanded into another one ($(VAR)) are allowed.
        helpers = {m for e in env.values() for m in re.findall(r"\$\((\w+)\)",
                                                               e.get("value", ""))}
        unread = set(env) - _aliases(cls) - helpers
        assert not unread, f"{where}: {sorted(unread)} are not read by {cls.__name__}"
        for name, entry in env.items():
            if re.search(r"SECRET|PASSWORD|_KEYS?$", name):
                assert "secretKeyRef" in entry.get("valueFrom", {}), f"{where}: {name} inlined"
            if name.endswith("DATABASE_URL"):
                password = urlsplit(entry["value"]).password
                assert password and re.fullmatch(r"\$\(\w+\)", password), f"{where}: {name}"
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                assert ref["name"] in REFERENCED_SECRETS, f"{where}: secret {ref['name']}"
        settings = cls.model_validate(_resolved(overlay, env))  # type: ignore[attr-defined]
        if cls is launcher_settings():
            continue
        if workload["metadata"]["name"] in APPS:
            _check_app(workload, container, settings)
            continue
        assert settings.environment == "production"
        assert settings.host == "0.0.0.0"
        assert settings.otel_exporter_otlp_endpoint
        ports = [p["containerPort"] for p in container.get("ports", [])]
        name = workload["metadata"]["name"]
        # The APIs serve /metrics on their port; the gateway (public port) and the workers
        # (none) on the metrics port, which is where Prometheus is told to look.
        expected = [settings.port] if name in APIS else []
        if name == "gateway" or name in WORKERS:
            assert settings.metrics_port is not None, f"{where}: KYODO_METRICS_PORT"
            expected.append(settings.metrics_port)
        else:
            assert settings.metrics_port is None, f"{where}: serves /metrics on its port"
        assert ports == expected, where
        annotations = workload["spec"]["template"]["metadata"].get("annotations", {})
        if name in APIS or name in WORKERS:
            assert annotations["prometheus.io/scrape"] == "true", where
            assert int(annotations["prometheus.io/port"]) == expected[-1], where
            assert annotations["prometheus.io/path"] == "/metrics", where


def _check_app(workload: Obj, container: Obj, settings: Any) -> None:
    """An app: on its port from anywhere in the pod, its sessions on a volume that outlives
    the pod, sealed with its own key; one pod, replaced (not rolled) so two never share it."""
    name = workload["metadata"]["name"]
    assert settings.host == "0.0.0.0", name
    assert [p["containerPort"] for p in container["ports"]] == [settings.port], name
    assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": "http"}
    assert settings.state_dir is not None and settings.session_key_list(), name
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v for v in workload["spec"]["template"]["spec"]["volumes"]}
    assert "persistentVolumeClaim" in volumes[mounts[str(settings.state_dir)]], name
    assert workload["spec"]["replicas"] == 1 and workload["spec"]["strategy"]["type"] == "Recreate"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_apps_have_a_service_and_a_disruption_budget(overlay: str) -> None:
    services = objects(overlay, "Service")
    budgets = {b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
               for b in objects(overlay, "PodDisruptionBudget").values()}
    for name in APPS:
        assert services[name]["spec"]["selector"] == {"app.kubernetes.io/name": name}
        assert name in budgets, name
        assert name in objects(overlay, "Ingress"), name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_urls_between_pods_name_existing_services_and_ports(overlay: str) -> None:
    services = objects(overlay, "Service")
    deployments = objects(overlay, "Deployment")

    (postgres,) = objects(overlay, "Cluster")
    (kafka,) = objects(overlay, "Kafka")
    operators = {f"{postgres}-rw": 5432, f"{kafka}-kafka-bootstrap": 9093}  # their Services

    def serves(url: str) -> None:
        parts = urlsplit(url if "://" in url else f"tcp://{url}")
        host = parts.hostname or ""
        if host in operators:
            assert parts.port == operators[host], url
            return
        if host.endswith(".svc"):
            return  # another namespace
        service = services[host]
        assert parts.port in [p["port"] for p in service["spec"]["ports"]], url
        selector = service["spec"]["selector"]
        assert any(selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
                   for d in deployments.values()), f"Service {host} selects no pods"

    for _, container in containers(overlay):
        for value in _resolved(overlay, _container_env(overlay, container)).values():
            if value.startswith(("http://", "postgresql://")) or re.fullmatch(r"[\w.-]+:\d+",
                                                                              value):
                serves(value)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_apis_have_probes_autoscaling_and_disruption_budgets(overlay: str) -> None:
    deployments = objects(overlay, "Deployment")
    autoscalers = {h["spec"]["scaleTargetRef"]["name"]: h
                   for h in objects(overlay, "HorizontalPodAutoscaler").values()}
    budgets = {b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
               for b in objects(overlay, "PodDisruptionBudget").values()}
    for name in APIS:
        deployment = deployments[name]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        port = container["ports"][0]["name"]
        assert container["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": port}
        # Liveness must not depend on the database: an outage would restart every pod.
        assert container["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": port}
        assert "replicas" not in deployment["spec"], f"{name}: the HPA owns the replica count"
        assert name in autoscalers and name in budgets
        assert 1 <= autoscalers[name]["spec"]["minReplicas"] <= autoscalers[name]["spec"][
            "maxReplicas"]
        if overlay in ("prod", *SIZED_OVERLAYS):
            assert autoscalers[name]["spec"]["minReplicas"] >= 2
    for name in WORKERS:
        # One relay per service keeps per-aggregate order (docs/adr/0002).
        assert deployments[name]["spec"]["replicas"] == 1
        assert deployments[name]["spec"]["strategy"]["type"] == "Recreate"
        assert name not in autoscalers
        # Alive = its event loop answers /metrics; never a readiness or a database check.
        (container,) = deployments[name]["spec"]["template"]["spec"]["containers"]
        assert container["livenessProbe"]["httpGet"] == {"path": "/metrics", "port": "metrics"}
        assert [p["name"] for p in container["ports"]] == ["metrics"]
        assert "readinessProbe" not in container


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_are_non_root_read_only_and_bounded(overlay: str) -> None:
    for workload, container in containers(overlay):
        where = f"{overlay}/{workload['metadata']['name']}"
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, where
        assert pod["automountServiceAccountToken"] is False, where
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, where
        assert container["securityContext"]["allowPrivilegeEscalation"] is False, where
        assert container["securityContext"]["capabilities"]["drop"] == ["ALL"], where
        resources = container["resources"]
        assert {"cpu", "memory"} <= set(resources["requests"]), where
        assert "memory" in resources["limits"], where
        image = container["image"]
        assert _split_image(image)[1] not in (None, "latest"), f"{where}: {image}"
        if overlay in ("prod", *SIZED_OVERLAYS) and "/kyodo/" in image:
            assert _split_image(image)[1] not in ("dev", "local"), f"{where}: {image}"


def _admits(policy: Obj, pod_labels: dict[str, str]) -> bool:
    selector = policy["spec"]["podSelector"]
    if not selector:
        return False  # the default deny
    wanted: dict[str, str] = selector.get("matchLabels", {})
    return wanted.items() <= pod_labels.items()


def _sources(rule: Obj) -> list[Obj]:
    peers: list[Obj] = rule.get("from", [{"anywhere": True}])
    return peers


def _peer_matches(peer: Obj, labels: dict[str, str]) -> bool:
    if "anywhere" in peer:
        return True
    if "namespaceSelector" in peer:
        return False  # pods of other namespaces
    selector = peer["podSelector"]
    for expression in selector.get("matchExpressions", []):
        assert expression["operator"] == "In"
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    wanted: dict[str, str] = selector.get("matchLabels", {})
    return wanted.items() <= labels.items()


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_admit_only_what_the_architecture_allows(overlay: str) -> None:
    policies = list(objects(overlay, "NetworkPolicy").values())
    assert any(p["spec"]["podSelector"] == {} and p["spec"]["policyTypes"] == ["Ingress"]
               and not p["spec"].get("ingress") for p in policies), "no default deny"
    pods = {w["metadata"]["name"]: w["spec"]["template"]["metadata"]["labels"]
            for w, _ in containers(overlay)}

    def callers(target: str) -> set[str]:
        """Which of our pods (or 'outside') may open a connection to the target's pods."""
        allowed: set[str] = set()
        for policy in policies:
            if not _admits(policy, pods[target]):
                continue
            for rule in policy["spec"].get("ingress", []):
                for peer in _sources(rule):
                    if "anywhere" in peer:
                        allowed.add("outside")
                    allowed |= {name for name, labels in pods.items()
                                if _peer_matches(peer, labels)}
        return allowed

    assert "outside" in callers("gateway")
    assert "outside" in callers("counter")  # clerks' browsers, through the Ingress
    assert callers("identity") == {"gateway", "identity", "residents", "certificates", "tax",
                                   "disaster", "automation", "webhooks"}
    # certificates reads 個人番号 from residents with the caller's assertion (never in events)
    assert callers("residents") == {"gateway", "certificates"}
    assert callers("certificates") == {"gateway"}
    assert callers("tax") == {"gateway"}
    assert callers("disaster") == {"gateway"}
    assert callers("automation") == {"gateway"}
    assert callers("webhooks") == {"gateway"}
    for name in (*WORKERS, "kyodo-migrate"):
        assert callers(name) == set(), f"{name} must accept no connection"
    # Prometheus (another namespace) reaches the metrics ports of the scraped pods, no other.
    (metrics,) = [p for p in policies if p["metadata"]["name"] == "metrics-from-monitoring"]
    (rule,) = metrics["spec"]["ingress"]
    assert rule["from"] == [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}},
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}}]
    scraped = {w["metadata"]["name"]: int(w["spec"]["template"]["metadata"]["annotations"][
        "prometheus.io/port"]) for w, _ in containers(overlay)
        if w["spec"]["template"]["metadata"].get("annotations", {}).get("prometheus.io/scrape")}
    assert {name for name in pods if _admits(metrics, pods[name])} == set(scraped)
    assert {p["port"] for p in rule["ports"]} == set(scraped.values())
    for name in pods:
        if name not in ("gateway", *APPS):  # the public doors: the API and the apps
            assert "outside" not in callers(name), name
    # The PostgreSQL door is open to every pod that needs the database, and to nothing else.
    (postgres,) = [p for p in policies
                   if p["spec"]["podSelector"].get("matchLabels", {}).get("cnpg.io/cluster")]
    clients = {name for name, labels in pods.items()
               if any(_peer_matches(peer, labels) for rule in postgres["spec"]["ingress"]
                      for peer in _sources(rule))}
    assert clients == {"identity", "residents", "certificates", "tax", "disaster", "automation",
                       "webhooks",
                       *WORKERS,
                       "kyodo-migrate"}
    (kafka,) = objects(overlay, "Kafka").values()
    (listener,) = kafka["spec"]["kafka"]["listeners"]
    kafka_clients = {name for name, labels in pods.items()
                     if any(_peer_matches(peer, labels)
                            for peer in listener["networkPolicyPeers"])}
    assert kafka_clients == {*WORKERS, "kyodo-migrate"}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_database_is_archived_for_point_in_time_recovery(overlay: str) -> None:
    """WAL archiving and nightly base backups to one object store, with a retention window."""
    (cluster,) = objects(overlay, "Cluster").values()
    (store,) = objects(overlay, "ObjectStore").values()
    (archiver,) = [p for p in cluster["spec"]["plugins"] if p.get("isWALArchiver")]
    assert archiver["name"] == "barman-cloud.cloudnative-pg.io"
    assert archiver["parameters"]["barmanObjectName"] == store["metadata"]["name"]
    assert store["spec"]["retentionPolicy"]
    assert store["spec"]["configuration"]["s3Credentials"]["accessKeyId"]["name"] \
        == "kyodo-pg-backup-s3"
    (scheduled,) = objects(overlay, "ScheduledBackup").values()
    assert scheduled["spec"]["cluster"]["name"] == cluster["metadata"]["name"]
    assert scheduled["spec"]["method"] == "plugin"
    assert scheduled["spec"]["pluginConfiguration"]["name"] == archiver["name"]
    assert len(scheduled["spec"]["schedule"].split()) == 6  # seconds first


def test_prod_is_highly_available_and_dev_is_small() -> None:
    (pg_prod,) = objects("prod", "Cluster").values()
    (pg_dev,) = objects("dev", "Cluster").values()
    assert pg_prod["spec"]["instances"] >= 3 > pg_dev["spec"]["instances"]
    (pool_prod,) = objects("prod", "KafkaNodePool").values()
    (pool_dev,) = objects("dev", "KafkaNodePool").values()
    assert pool_prod["spec"]["replicas"] >= 3 > pool_dev["spec"]["replicas"]
    (kafka_prod,) = objects("prod", "Kafka").values()
    assert kafka_prod["spec"]["kafka"]["config"]["min.insync.replicas"] >= 2
    prod_ingress = objects("prod", "Ingress")["gateway"]
    assert prod_ingress["spec"]["tls"], "the public host is served over TLS"
    # Connections: every API pod may hold 20; the HPAs' maximum must fit max_connections.
    max_pods = sum(h["spec"]["maxReplicas"] for n, h in
                   objects("prod", "HorizontalPodAutoscaler").items() if n != "gateway")
    assert max_pods * 20 < int(pg_prod["spec"]["postgresql"]["parameters"]["max_connections"])


def _cpu(value: str) -> float:
    return float(value[:-1]) / 1000 if value.endswith("m") else float(value)


def test_the_cell_is_production_grade_and_sized_above_prod() -> None:
    """A cell of the national platform (ADR 0020): prod's availability, at least prod's room."""
    (pg,) = objects("cell", "Cluster").values()
    (pg_prod,) = objects("prod", "Cluster").values()
    assert pg["spec"]["instances"] >= 3
    assert pg["spec"]["storage"]["size"] != pg_prod["spec"]["storage"]["size"]
    assert (_cpu(pg["spec"]["resources"]["requests"]["cpu"])
            > _cpu(pg_prod["spec"]["resources"]["requests"]["cpu"]))
    (pool,) = objects("cell", "KafkaNodePool").values()
    assert pool["spec"]["replicas"] >= 3
    assert objects("cell", "Ingress")["gateway"]["spec"]["tls"]
    scalers = objects("cell", "HorizontalPodAutoscaler")
    prod_scalers = objects("prod", "HorizontalPodAutoscaler")
    budgets = {b["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]: b
               for b in objects("cell", "PodDisruptionBudget").values()}
    for name, scaler in scalers.items():
        spec, prod = scaler["spec"], prod_scalers[name]["spec"]
        assert spec["minReplicas"] >= prod["minReplicas"], name
        assert spec["maxReplicas"] >= prod["maxReplicas"], name
        # A drain never takes the pods that the minimum keeps serving.
        assert budgets[name]["spec"]["maxUnavailable"] < spec["minReplicas"], name
    for name in ("gateway", "residents", "certificates"):
        assert scalers[name]["spec"]["maxReplicas"] > prod_scalers[name]["spec"]["maxReplicas"]
    cell_pods = {n: d for n, d in objects("cell", "Deployment").items()}
    for name, deployment in objects("prod", "Deployment").items():
        (mine,) = cell_pods[name]["spec"]["template"]["spec"]["containers"]
        (theirs,) = deployment["spec"]["template"]["spec"]["containers"]
        assert (_cpu(mine["resources"]["requests"]["cpu"])
                >= _cpu(theirs["resources"]["requests"]["cpu"])), name
    max_pods = sum(h["spec"]["maxReplicas"] for n, h in scalers.items() if n != "gateway")
    assert max_pods * 20 < int(pg["spec"]["postgresql"]["parameters"]["max_connections"])


# ============================================================================================
# docker-compose.yml
# ============================================================================================


@cache
def compose() -> Obj:
    loaded: Obj = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def compose_services() -> dict[str, Obj]:
    services: dict[str, Obj] = compose()["services"]
    return services


def kyodo_compose_services() -> dict[str, Obj]:
    return {name: s for name, s in compose_services().items() if "build" in s}


_INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: str) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, with stand-ins for required ones."""

    def one(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if operator and operator.endswith("-"):
            return argument
        return "0123456789abcdef" + name.lower()

    return _INTERPOLATION.sub(one, value)


def test_compose_services_have_healthchecks() -> None:
    for name, service in compose_services().items():
        if name in COMPOSE_WITHOUT_HEALTHCHECK:
            assert "healthcheck" not in service
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in ("CMD", "CMD-SHELL"), f"{name} has no healthcheck"


def test_compose_publishes_only_the_gateway_and_the_two_uis() -> None:
    publishing = {name for name, s in compose_services().items() if s.get("ports")}
    assert publishing == COMPOSE_PUBLISHING_PORTS
    for name in ("jaeger", "prometheus"):  # no authentication: loopback only
        assert all(str(p).startswith("127.0.0.1:") for p in compose_services()[name]["ports"])
    assert compose()["networks"]["backend"]["internal"] is True


def _others_keys(process: str) -> set[str]:
    service = process.removesuffix("-worker")
    return {k for owner, keys in OWN_KEYS.items() if owner != service for k in keys}


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_process_gets_only_its_own_keys_from_its_services_own_secret(overlay: str) -> None:
    given = set()
    for workload, container in kyodo_containers(overlay):
        name = workload["metadata"]["name"]
        env = _container_env(overlay, container)
        assert not _others_keys(name) & set(env), f"{overlay}/{name}: another service's key"
        given |= set(env)
        for entry in env.values():
            ref = entry.get("valueFrom", {}).get("secretKeyRef")
            if ref and ref["name"].endswith("-keys"):
                assert ref["name"] == f"kyodo-{name.removesuffix('-worker')}-keys", name
    assert {k for keys in OWN_KEYS.values() for k in keys} <= given


def test_compose_gives_each_process_only_its_own_keys() -> None:
    for name, service in kyodo_compose_services().items():
        env = service["environment"]
        assert not _others_keys(name) & set(env), f"{name}: another service's key"
        for key, raw in env.items():
            if key in OWN_KEYS.get(name.removesuffix("-worker"), ()):
                assert re.fullmatch(rf"\$\{{{key}:\?[^}}]+\}}", str(raw)), f"{name}: {key}"


def test_compose_runs_every_process_from_code_that_exists() -> None:
    services = kyodo_compose_services()
    assert set(services) == {*APIS, *WORKERS, *APPS, "migrate"}
    for name, service in services.items():
        check_command(service["command"])
        expected = APIS.get(name) or WORKERS.get(name) or APPS.get(name)
        if expected:
            assert service["command"] == ["python", "-m", expected]


def test_compose_env_is_what_the_settings_read() -> None:
    services = compose_services()
    for name, service in kyodo_compose_services().items():
        cls = check_command(service["command"])
        env = {k: interpolate(str(v)) for k, v in service["environment"].items()}
        unread = set(env) - _aliases(cls)
        assert not unread, f"{name}: {sorted(unread)} are not read by {cls.__name__}"
        for key, raw in service["environment"].items():
            raw = str(raw)
            if re.search(r"SECRET|PASSWORD|_KEYS?$", key):
                assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", raw), f"{name}: {key} must be ${{X:?}}"
            if key.endswith("DATABASE_URL"):  # the password is a required reference
                assert re.search(r"://[^:/@]+:\$\{\w+:\?[^}]+\}@", raw), f"{name}: {key}"
        settings = cls.model_validate(env)  # type: ignore[attr-defined]
        for value in env.values():  # every URL names a compose service
            if value.startswith(("http://", "postgresql://")) or re.fullmatch(r"[\w-]+:\d+",
                                                                                 value):
                host = urlsplit(value if "://" in value else f"tcp://{value}").hostname
                assert host in services, f"{name}: {value}"
        if cls is launcher_settings():
            continue
        if name in APPS:  # its sessions on a named volume, sealed with its own key
            assert settings.host == "0.0.0.0" and settings.session_key_list(), name
            assert f"counter-state:{settings.state_dir}" in service["volumes"], name
            continue
        assert settings.environment == "production"
        assert settings.host == "0.0.0.0"
        if name in APIS:
            checked = re.search(r"http://127\.0\.0\.1:(\d+)/health/ready",
                                " ".join(service["healthcheck"]["test"]))
            assert checked and int(checked.group(1)) == settings.port, name


def test_compose_urls_use_the_target_services_ports() -> None:
    services = compose_services()
    ports = {name: int(s["environment"]["KYODO_PORT"]) for name, s in services.items()
             if "KYODO_PORT" in s.get("environment", {})}
    gateway = services["gateway"]["environment"]
    for upstream in ("identity", "residents", "certificates", "tax", "disaster"):
        url = urlsplit(gateway[f"KYODO_UPSTREAM_{upstream.upper()}"])
        assert (url.hostname, url.port) == (upstream, ports[upstream])
    jwks = urlsplit(compose()["x-kyodo-env"]["KYODO_JWKS_URL"])
    assert (jwks.hostname, jwks.port, jwks.path) == ("identity", ports["identity"],
                                                     "/v1/auth/jwks.json")
    # Prometheus scrapes every Kyodo process where it serves /metrics: an API on its port,
    # the gateway and the workers on their metrics port.
    (kyodo_job,) = [job for job in yaml.safe_load(
        (ROOT / "deploy/prometheus/prometheus.yml").read_text())["scrape_configs"]
        if job["job_name"] == "kyodo"]
    scraped = {t: group["labels"] for group in kyodo_job["static_configs"]
               for t in group["targets"]}
    expected = {}
    for name, service in kyodo_compose_services().items():
        env = service["environment"]
        if "KYODO_METRICS_PORT" in env:
            expected[f"{name}:{env['KYODO_METRICS_PORT']}"] = {
                "service": env["KYODO_SERVICE"],
                "component": "worker" if name in WORKERS else "gateway"}
        elif name in APIS:
            expected[f"{name}:{ports[name]}"] = {"service": name, "component": "api"}
    assert scraped == expected
    for name in WORKERS:  # the health check asks the worker's event loop for /metrics
        port = services[name]["environment"]["KYODO_METRICS_PORT"]
        assert f"http://127.0.0.1:{port}/metrics" in " ".join(
            services[name]["healthcheck"]["test"]), name


def test_compose_start_order_is_declared_with_conditions() -> None:
    services = compose_services()
    conditions = {"service_started", "service_healthy", "service_completed_successfully"}
    for name, service in services.items():
        for dependency, spec in service.get("depends_on", {}).items():
            assert spec["condition"] in conditions, f"{name} -> {dependency}"
            if spec["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} -> {dependency}"
    for name in (*APIS, *WORKERS):
        if name != "gateway":
            assert services[name]["depends_on"]["migrate"] == {
                "condition": "service_completed_successfully"}, name
    for name in WORKERS:
        assert services[name]["depends_on"]["kafka"] == {"condition": "service_healthy"}
    assert {"postgres", "kafka"} <= set(services["migrate"]["depends_on"])


# ============================================================================================
# Dockerfile and .dockerignore
# ============================================================================================


@cache
def dockerfile_instructions() -> tuple[tuple[str, str], ...]:
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return tuple(found)


def dockerfile_stages() -> dict[str, list[tuple[str, str]]]:
    stages: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for keyword, rest in dockerfile_instructions():
        if keyword == "FROM":
            base, _, name = rest.partition(" AS ")
            current = [("FROM", base.strip())]
            stages[name.strip()] = current
        else:
            current.append((keyword, rest))
    return stages


def test_dockerfile_builds_every_target_compose_asks_for() -> None:
    stages = dockerfile_stages()
    for name, service in kyodo_compose_services().items():
        target = service["build"]["target"]
        assert target in stages, f"{name}: no stage {target}"
        cmd = [i for i in stages[target] if i[0] == "CMD"]
        assert cmd, target
        image_cmd = yaml.safe_load(cmd[-1][1])
        check_command(image_cmd)
        if name in APIS or name == "migrate":
            assert service["command"] == image_cmd, name


def test_dockerfile_final_stages_are_slim_non_root_and_without_build_tools() -> None:
    instructions = dockerfile_instructions()
    arguments = dict(rest.split("=", 1) for keyword, rest in instructions
                     if keyword == "ARG" and "=" in rest)
    assert arguments["PYTHON_IMAGE"] == "python:3.11-slim"
    stages = dockerfile_stages()
    runtime = stages["runtime"]
    assert runtime[0] == ("FROM", "${PYTHON_IMAGE}")
    user = next(rest for keyword, rest in runtime if keyword == "USER")
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", user), "numeric, non-root user"
    assert not any("uv" in rest.split() for _, rest in runtime)
    for target in (*APIS, "migrate"):
        stage = stages[target]
        assert stage[0] == ("FROM", "runtime"), target
        copies = [rest for keyword, rest in stage if keyword == "COPY"]
        assert copies == [f"--from=venv-{target} /app/.venv /app/.venv"], target
        assert not any(keyword == "RUN" for keyword, _ in stage), target
    makefile = (ROOT / "Makefile").read_text()
    uv_version = re.search(r"^UV_VERSION := (\S+)", makefile, re.M)
    assert uv_version and f"pip install --no-cache-dir uv=={uv_version.group(1)}" in [
        rest for keyword, rest in stages["builder"] if keyword == "RUN"]


def test_dockerfile_copies_every_workspace_manifest_before_syncing() -> None:
    import tomllib

    workspace = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["uv"]["workspace"]
    members = {p.parent.relative_to(ROOT).as_posix() for pattern in workspace["members"]
               for p in ROOT.glob(f"{pattern}/pyproject.toml")}
    copied = {rest.split()[0] for keyword, rest in dockerfile_stages()["builder"]
              if keyword == "COPY"}
    assert {f"{m}/pyproject.toml" for m in members} <= copied
    for target in (*APIS, "migrate"):
        package = ("--all-packages" if target == "migrate"
                   else f"--package kyodo-{target}")
        runs = [rest for keyword, rest in dockerfile_stages()[f"venv-{target}"]
                if keyword == "RUN"]
        assert any("--no-install-workspace" in r and package in r for r in runs), target
        assert any("--no-editable" in r and package in r for r in runs), target


def test_dockerignore_keeps_local_state_out_of_the_context() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", ".tools", "var", ".env", "**/__pycache__"} <= ignored
