#!/usr/bin/env python3
"""Offline checks of everything Cairn is deployed and watched with (run by `make test`).

    .deps/venv/bin/python deploy/tools/validate_deploy.py [-v] [CHECK ...]

- Kubernetes: base and both overlays rendered with `kubectl kustomize`; every object
  validated against the Kubernetes OpenAPI schemas (PyPI kubernetes-validate, strict, at
  the oldest and newest supported versions) or, for the CRDs (ServiceMonitor, KafkaTopic,
  Kafka), against a structural schema of the fields used here; the security and probe
  rules of the Deployments; each service's Service, HPA, PDB, NetworkPolicy and
  ServiceMonitor; NetworkPolicy edges compared with the callers the Swift code has
  (CAIRN_*_URL it reads, CairnAuthKit for auth) and the dependencies it declares;
  KafkaTopics compared with Shared/CairnEvents/EventTopic.swift; no Secret values.
- Docker Compose: validated with the compose-spec parser (PyPI compose-spec) after YAML
  merge keys are resolved, references checked, environment names compared with k8s.
- Prometheus: `promtool check config` (with the alert rules), `promtool test rules`,
  every metric an alert uses exported by some service, every alert's runbook section present.
- Grafana: dashboards parsed, every query valid PromQL (promtool) and every metric it reads
  exported by some service (names from the Swift sources, after swift-prometheus's naming:
  a Timer is a histogram with _bucket/_sum/_count).

The last line is `deploy: N passed, N failed`; the exit status is 1 when anything failed.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "k8s"
RENDERS = {"base": K8S / "base", "dev": K8S / "overlays" / "dev", "prod": K8S / "overlays" / "prod"}
# The oldest Kubernetes the manifests need (the preStop `sleep` action is on by default from
# 1.30) and the newest the schemas know.
K8S_VERSIONS = ("1.30.0", "1.33.0")

# service name -> directory under Services/
SERVICES = {
    "gateway": "Gateway", "auth": "Auth", "billing": "Billing", "ingestion": "Ingestion",
    "embedding": "Embedding", "vector-search": "VectorSearch", "generation": "Generation",
    "chat-orchestrator": "ChatOrchestrator",
}
URL_VARS = {f"CAIRN_{name.upper().replace('-', '_')}_URL": name for name in SERVICES}
INFRA_PORTS = {"postgres": 5432, "redis": 6379, "kafka": 9092}
# Metrics a query may use that no Cairn service exports: Prometheus' own.
EXTERNAL_METRICS = {"up"}
# CAIRN_* names no Swift source spells out: the variables that providers' `api_key_env`
# settings name (README "Generation"), read by whatever name the JSON config gives.
INDIRECT_ENV = {"CAIRN_GENERATION_OPENAI_KEY", "CAIRN_GENERATION_ANTHROPIC_KEY"}

VERBOSE = False


class Problems(list):
    def add(self, message: str) -> None:
        self.append(message)


# ----------------------------------------------------------------------------- facts from code
def swift_text(*roots: str) -> str:
    return "\n".join(p.read_text(errors="replace") for r in roots for p in sorted((REPO / r).rglob("*.swift")))


_cache: dict = {}


def cached(fn):
    def wrapper():
        if fn.__name__ not in _cache:
            _cache[fn.__name__] = fn()
        return _cache[fn.__name__]
    wrapper.__name__ = fn.__name__
    return wrapper


@cached
def exported_metrics() -> set[str]:
    """Every series name the services can expose, as swift-prometheus 2 names them (the label
    as given; a Timer or aggregating Recorder is a histogram: _bucket, _sum, _count)."""
    text = swift_text("Services", "Shared")
    names: set[str] = set()
    for kind, label in re.findall(r"\b(Counter|FloatingPointCounter|Timer|Gauge|Recorder|Meter)\(\s*label:\s*\"([^\"]+)\"", text):
        if kind in ("Timer", "Recorder"):
            names.update(f"{label}{suffix}" for suffix in ("_bucket", "_sum", "_count"))
        else:
            names.add(label)
    for ns, metric, unit in re.findall(r"descriptor:\s*\.init\(namespace:\s*\"(\w+)\",\s*metricName:\s*\"(\w+)\",\s*unitName:\s*\"(\w+)\"", text):
        names.add(f"{ns}_{metric}_{unit}")
    return names


@cached
def env_names_in_code() -> set[str]:
    names = set(re.findall(r"\"(CAIRN_[A-Z0-9_]+)\"", swift_text("Services", "Shared", "deploy/tools")))
    return names | set(URL_VARS) | INDIRECT_ENV


@cached
def event_topics() -> dict[str, int]:
    """topic name -> partitions, from EventTopic.swift."""
    text = (REPO / "Shared/CairnEvents/EventTopic.swift").read_text()
    cases = dict(re.findall(r"case (\w+) = \"([^\"]+)\"", text))
    body = text[text.index("public var partitions"):text.index("public var keyRule")]
    partitions = {}
    for group, count in re.findall(r"case ([.\w, ]+): (\d+)", body):
        for case in re.findall(r"\.(\w+)", group):
            partitions[cases[case]] = int(count)
    return partitions


@cached
def service_facts() -> dict[str, dict]:
    """Per service: dependencies (ServiceConfig.Dependency), Postgres database, HTTP callees
    and consumer groups, as the Swift code declares them."""
    facts = {}
    for name, directory in SERVICES.items():
        text = swift_text(f"Services/{directory}")
        match = re.search(r"static let dependencies: Set<ServiceConfig\.Dependency> = \[([^\]]*)\]", text)
        assert match, f"no dependencies declaration for {name}"
        deps = set(re.findall(r"\.(postgres|redis|kafka)\b", match.group(1)))
        db = re.search(r"\.postgres\(database: \"(\w+)\"\)", match.group(1))
        if name == "gateway":
            callees = set(SERVICES) - {"gateway"}
        else:
            callees = {svc for var, svc in URL_VARS.items() if f'"{var}"' in text}
            if "import CairnAuthKit" in text:
                callees.add("auth")
            callees.discard(name)
        groups = set(re.findall(r"_GROUP\", default: \"([\w-]+)\"", text))
        facts[name] = {"deps": deps, "database": db.group(1) if db else None, "callees": callees, "groups": groups}
    return facts


# ----------------------------------------------------------------------------- tools
def tool(name: str, env_var: str, local: Path) -> str | None:
    if os.environ.get(env_var):
        return os.environ[env_var]
    if local.exists():
        return str(local)
    return shutil.which(name)


def promtool() -> str:
    path = tool("promtool", "CAIRN_PROMTOOL", Path(os.environ.get("CAIRN_DEPS_DIR", REPO / ".deps")) / "promtool" / "promtool")
    if not path:
        raise RuntimeError("promtool not found: run deploy/local/deps.sh (or set CAIRN_PROMTOOL)")
    return path


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def kubectl() -> str | None:
    return tool("kubectl", "CAIRN_KUBECTL", Path("/nonexistent"))


@cached
def renders() -> dict[str, list[dict]]:
    """base, dev and prod rendered by `kubectl kustomize` (kustomize v5 built in); without
    kubectl, by mini_kustomize(), which k8s_renderer checks against kubectl where both exist."""
    out = {}
    for name, path in RENDERS.items():
        if kubectl():
            result = run([kubectl(), "kustomize", str(path)])
            if result.returncode != 0:
                raise RuntimeError(f"kubectl kustomize {path.relative_to(REPO)}: {result.stderr.strip()}")
            out[name] = [d for d in yaml.safe_load_all(result.stdout) if d]
        else:
            out[name] = mini_kustomize(path)
    return out


def mini_kustomize(directory: Path) -> list[dict]:
    """The kustomize features these overlays use, and only those: resources (files and
    directories), namespace, images (newName/newTag), patches given by path (merged into
    the object of the same kind and name: maps merged, lists replaced) or inline JSON 6902
    with a target (kind, name as a regex)."""
    k = yaml.safe_load((directory / "kustomization.yaml").read_text())
    unknown = set(k) - {"apiVersion", "kind", "namespace", "resources", "patches", "images"}
    if unknown:
        raise RuntimeError(f"{directory}: mini_kustomize does not know {sorted(unknown)}")
    docs: list[dict] = []
    for resource in k.get("resources", []):
        path = directory / resource
        docs += mini_kustomize(path) if path.is_dir() else load_yaml_docs(path)

    def merge(into: dict, patch: dict) -> None:
        for key, value in patch.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    def pointer(doc, path: str):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path.lstrip("/").split("/")]
        for part in parts[:-1]:
            doc = doc[int(part)] if isinstance(doc, list) else doc[part]
        return doc, parts[-1]

    for patch in k.get("patches", []):
        if "path" in patch:
            for p in load_yaml_docs(directory / patch["path"]):
                matches = [d for d in docs if d["kind"] == p["kind"] and d["metadata"]["name"] == p["metadata"]["name"]]
                if len(matches) != 1:
                    raise RuntimeError(f"{directory}: patch {patch['path']} matches {len(matches)} objects")
                merge(matches[0], p)
            continue
        target = patch["target"]
        for d in docs:
            if d["kind"] != target.get("kind", d["kind"]) or not re.fullmatch(target.get("name", ".*"), d["metadata"]["name"]):
                continue
            for op in yaml.safe_load(patch["patch"]):
                parent, key = pointer(d, op["path"])
                if op["op"] == "replace" and key not in parent:
                    raise RuntimeError(f"{directory}: replace of missing {op['path']} in {d['kind']}/{d['metadata']['name']}")
                if op["op"] not in ("add", "replace"):
                    raise RuntimeError(f"{directory}: mini_kustomize does not know op {op['op']}")
                parent[key] = op["value"]
    if "namespace" in k:
        for d in docs:
            if d["kind"] == "Namespace":
                continue
            d["metadata"]["namespace"] = k["namespace"]
    for image in k.get("images", []):
        for d in docs:
            for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
                name, _, tag = c["image"].partition(":")
                if name == image["name"]:
                    c["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"
    return docs


def load_yaml_docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


# ----------------------------------------------------------------------------- CRD schemas
def _obj(props: dict, required=(), extra=False) -> dict:
    return {"type": "object", "properties": props, "required": list(required), "additionalProperties": extra}


_STR = {"type": "string"}
_INT = {"type": "integer", "minimum": 1}
_META = _obj({"name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253},
              "namespace": _STR, "labels": {"type": "object", "additionalProperties": _STR},
              "annotations": {"type": "object", "additionalProperties": _STR}}, ["name"])
_LABEL_SELECTOR = _obj({
    "matchLabels": {"type": "object", "additionalProperties": _STR},
    "matchExpressions": {"type": "array", "items": _obj({
        "key": _STR, "operator": {"enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
        "values": {"type": "array", "items": _STR}}, ["key", "operator"])}})
_DURATION = {"type": "string", "pattern": r"^(\d+(ms|s|m|h))+$"}
# The fields of the CRDs these manifests use (monitoring.coreos.com/v1 ServiceMonitor,
# kafka.strimzi.io/v1beta2 KafkaTopic and Kafka), with unknown fields rejected, so a typo
# fails here rather than being dropped silently by the API server's pruning.
CRD_SCHEMAS = {
    ("monitoring.coreos.com/v1", "ServiceMonitor"): _obj({
        "apiVersion": _STR, "kind": _STR, "metadata": _META,
        "spec": _obj({
            "selector": _LABEL_SELECTOR,
            "namespaceSelector": _obj({"matchNames": {"type": "array", "items": _STR}, "any": {"type": "boolean"}}),
            "endpoints": {"type": "array", "minItems": 1, "items": _obj({
                "port": _STR, "path": {"type": "string", "pattern": "^/"}, "interval": _DURATION,
                "scrapeTimeout": _DURATION, "scheme": {"enum": ["http", "https"]}}, ["port"])},
        }, ["selector", "endpoints"])}, ["apiVersion", "kind", "metadata", "spec"]),
    ("kafka.strimzi.io/v1beta2", "KafkaTopic"): _obj({
        "apiVersion": _STR, "kind": _STR, "metadata": _META,
        "spec": _obj({
            "topicName": {"type": "string", "pattern": r"^[a-zA-Z0-9._-]{1,249}$"},
            "partitions": _INT, "replicas": {"type": "integer", "minimum": 1, "maximum": 32767},
            "config": {"type": "object", "additionalProperties": {"type": ["string", "integer", "boolean"]}},
        }, ["partitions", "replicas"])}, ["apiVersion", "kind", "metadata", "spec"]),
    ("kafka.strimzi.io/v1beta2", "Kafka"): _obj({
        "apiVersion": _STR, "kind": _STR, "metadata": _META,
        "spec": _obj({
            "kafka": _obj({"listeners": {"type": "array", "items": _obj({
                "name": _STR, "port": _INT, "type": {"enum": ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"]},
                "tls": {"type": "boolean"}}, ["name", "port", "type", "tls"])},
                "config": {"type": "object"}}, extra=True),
            "entityOperator": _obj({"topicOperator": _obj({"watchedNamespace": _STR}, extra=True),
                                    "userOperator": {"type": "object"}}),
            "kafkaExporter": _obj({"groupRegex": _STR, "topicRegex": _STR}, extra=True),
        }, extra=True)}, ["apiVersion", "kind", "metadata", "spec"]),
}


def validate_object(doc: dict, problems: Problems, where: str) -> None:
    import jsonschema
    import kubernetes_validate

    key = (doc.get("apiVersion"), doc.get("kind"))
    name = f"{where}: {key[1]}/{doc.get('metadata', {}).get('name')}"
    if key in CRD_SCHEMAS:
        errors = sorted(jsonschema.Draft202012Validator(CRD_SCHEMAS[key]).iter_errors(doc), key=lambda e: list(e.path))
        for error in errors:
            problems.add(f"{name}: {'.'.join(map(str, error.path))}: {error.message}")
        return
    for version in K8S_VERSIONS:
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            problems.add(f"{name}: no schema for {key} in Kubernetes {version} and no CRD schema here")
        except kubernetes_validate.ValidationError as error:
            path = ".".join(str(p) for p in error.path)
            problems.add(f"{name} (k8s {version}): {path}: {error.message}")


# ----------------------------------------------------------------------------- checks
CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


@check
def k8s_renderer(problems: Problems) -> None:
    """The fallback renderer agrees with kubectl kustomize (so it can stand in without it)."""
    if not kubectl():
        print("     (kubectl not found: overlays rendered by mini_kustomize)")
        return
    for name, path in RENDERS.items():
        ours = {(d["kind"], d["metadata"]["name"]): d for d in mini_kustomize(path)}
        theirs = {(d["kind"], d["metadata"]["name"]): d for d in renders()[name]}
        if set(ours) != set(theirs):
            problems.add(f"{name}: mini_kustomize renders {sorted(set(ours) ^ set(theirs))} differently")
        for key in set(ours) & set(theirs):
            if ours[key] != theirs[key]:
                problems.add(f"{name}: mini_kustomize and kubectl kustomize differ on {key[0]}/{key[1]}")


@check
def k8s_schemas(problems: Problems) -> None:
    """Every rendered object, secret.example.yaml and the add-on Kafka excerpt against schemas."""
    for render, docs in renders().items():
        for doc in docs:
            validate_object(doc, problems, render)
    for path in [K8S / "base" / "secret.example.yaml", K8S / "addons" / "kafka-exporter.yaml"]:
        for doc in load_yaml_docs(path):
            validate_object(doc, problems, str(path.relative_to(REPO)))
    values = yaml.safe_load((K8S / "addons" / "prometheus-adapter-values.yaml").read_text())
    external = values.get("rules", {}).get("external", [])
    if not any(r.get("name", {}).get("as") == "cairn_kafka_consumergroup_lag" for r in external):
        problems.add("prometheus-adapter-values.yaml serves no cairn_kafka_consumergroup_lag")


@check
def k8s_overlays(problems: Problems) -> None:
    """The overlays differ from base where they should: replicas, topics, endpoints, images."""
    r = renders()
    for render in ("dev", "prod"):
        docs = r[render]
        for d in by_kind(docs, "Deployment").values():
            for c in d["spec"]["template"]["spec"]["containers"]:
                if c["image"].endswith(":latest") or ":" not in c["image"]:
                    problems.add(f"{render}: {d['metadata']['name']} runs an unpinned image {c['image']}")
        config = by_kind(docs, "ConfigMap")["cairn-config"]["data"]
        if config["CAIRN_POSTGRES_HOST"].endswith("example.internal") or config["CAIRN_REDIS_HOST"].endswith("example.internal"):
            problems.add(f"{render}: still the base placeholder Postgres/Redis hosts")
        for d in docs:
            if d["metadata"].get("namespace") not in ("cairn", None) or (d["kind"] != "Namespace" and d["metadata"].get("namespace") != "cairn"):
                problems.add(f"{render}: {d['kind']}/{d['metadata']['name']} outside namespace cairn")
    dev_hpa, prod_hpa = by_kind(r["dev"], "HorizontalPodAutoscaler"), by_kind(r["prod"], "HorizontalPodAutoscaler")
    if any(h["spec"]["minReplicas"] != 1 for h in dev_hpa.values()):
        problems.add("dev: every HPA should allow a single pod")
    if any(h["spec"]["minReplicas"] < 2 for h in prod_hpa.values()):
        problems.add("prod: an HPA allows fewer than 2 pods")
    if any(t["spec"]["replicas"] != 1 for t in by_kind(r["dev"], "KafkaTopic").values()):
        problems.add("dev: KafkaTopics must have 1 replica (one broker)")
    for t in by_kind(r["prod"], "KafkaTopic").values():
        if t["spec"]["replicas"] < 3 or int(t["spec"]["config"]["min.insync.replicas"]) < 2:
            problems.add(f"prod: KafkaTopic {t['metadata']['name']} is not replicated 3/2")
    if by_kind(r["prod"], "ConfigMap")["cairn-config"]["data"]["CAIRN_POSTGRES_TLS"] != "verify-full":
        problems.add("prod: Postgres TLS is not verify-full")
    if "gateway" not in {p["backend"]["service"]["name"] for i in by_kind(r["prod"], "Ingress").values() for rule in i["spec"]["rules"] for p in rule["http"]["paths"]}:
        problems.add("prod: no Ingress to the gateway")
    if any(i["spec"]["rules"] for i in by_kind(r["prod"], "Ingress").values() for rule in i["spec"]["rules"] for p in rule["http"]["paths"] if p["backend"]["service"]["name"] != "gateway"):
        problems.add("prod: an Ingress exposes something other than the gateway")


def container_env(deployment: dict, configmap: dict) -> dict[str, object]:
    """Environment names -> value (a string, or the valueFrom dict) as the pod sees them."""
    c = deployment["spec"]["template"]["spec"]["containers"][0]
    env: dict[str, object] = {}
    for source in c.get("envFrom", []):
        if "configMapRef" in source and source["configMapRef"]["name"] == configmap["metadata"]["name"]:
            env.update(configmap["data"])
    for e in c.get("env", []):
        env[e["name"]] = e.get("value", e.get("valueFrom"))
    return env


@check
def k8s_deployments(problems: Problems) -> None:
    """Security context, resources, probes, graceful termination, config, per Deployment."""
    known_env = env_names_in_code()
    secret_keys = set(load_yaml_docs(K8S / "base" / "secret.example.yaml")[0]["stringData"])
    for render, docs in renders().items():
        deployments = by_kind(docs, "Deployment")
        configmap = by_kind(docs, "ConfigMap")["cairn-config"]
        if set(deployments) != set(SERVICES):
            problems.add(f"{render}: Deployments {sorted(deployments)} != services {sorted(SERVICES)}")
        if by_kind(docs, "Secret"):
            problems.add(f"{render}: renders a Secret: secret values must not be in the repo")
        for name, d in deployments.items():
            where = f"{render}: {name}"
            pod = d["spec"]["template"]["spec"]
            if "replicas" in d["spec"]:
                problems.add(f"{where}: spec.replicas is set, but the HPA owns it")
            psc = pod.get("securityContext", {})
            if not psc.get("runAsNonRoot") or psc.get("runAsUser", 0) == 0:
                problems.add(f"{where}: pod may run as root")
            if psc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
                problems.add(f"{where}: seccompProfile is not RuntimeDefault")
            if pod.get("automountServiceAccountToken") is not False:
                problems.add(f"{where}: mounts a service account token it never uses")
            for c in pod["containers"]:
                sc = c.get("securityContext", {})
                if not sc.get("readOnlyRootFilesystem"):
                    problems.add(f"{where}: root filesystem is writable")
                if sc.get("allowPrivilegeEscalation") is not False:
                    problems.add(f"{where}: allowPrivilegeEscalation is not false")
                if sc.get("capabilities", {}).get("drop") != ["ALL"] or sc.get("capabilities", {}).get("add"):
                    problems.add(f"{where}: capabilities are not drop [ALL]")
                for kind in ("requests", "limits"):
                    for resource in ("cpu", "memory"):
                        if resource not in c.get("resources", {}).get(kind, {}):
                            problems.add(f"{where}: no {resource} {kind}")
                if c.get("livenessProbe", {}).get("httpGet", {}).get("path") != "/health":
                    problems.add(f"{where}: liveness probe is not GET /health")
                if c.get("readinessProbe", {}).get("httpGet", {}).get("path") != "/ready":
                    problems.add(f"{where}: readiness probe is not GET /ready")
                startup = c.get("startupProbe", {})
                if name == "embedding" and startup.get("periodSeconds", 10) * startup.get("failureThreshold", 3) < 120:
                    problems.add(f"{where}: the startup probe gives the model load less than 2 minutes")
                env = container_env(d, configmap)
                drain = int(env.get("CAIRN_SHUTDOWN_GRACE_SECONDS", 10))
                pre_stop = c.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
                grace = pod.get("terminationGracePeriodSeconds", 30)
                if grace <= drain + pre_stop:
                    problems.add(f"{where}: terminationGracePeriodSeconds {grace} <= preStop {pre_stop} + drain {drain}")
                if str(env.get("CAIRN_HTTP_PORT")) not in {str(p["containerPort"]) for p in c["ports"]}:
                    problems.add(f"{where}: CAIRN_HTTP_PORT {env.get('CAIRN_HTTP_PORT')} is no container port")
                for var in env:
                    if var.startswith("CAIRN_") and var not in known_env:
                        problems.add(f"{where}: {var} is read by no Swift source")
                for var, value in env.items():
                    if isinstance(value, dict):
                        ref = value.get("secretKeyRef")
                        if ref and (ref["name"] != "cairn-secrets" or ref["key"] not in secret_keys):
                            problems.add(f"{where}: {var} references {ref['name']}/{ref['key']}, not a key of secret.example.yaml")
                    elif var.endswith(("_PASSWORD", "_SECRET", "_KEY", "_CLIENTS")):
                        problems.add(f"{where}: {var} has a literal value: secrets come from cairn-secrets")
                facts = service_facts()[name]
                for dep in facts["deps"]:
                    needed = {"postgres": "CAIRN_POSTGRES_HOST", "redis": "CAIRN_REDIS_HOST", "kafka": "CAIRN_KAFKA_BROKERS"}[dep]
                    if needed not in env:
                        problems.add(f"{where}: depends on {dep} but has no {needed}")
                if facts["database"] and env.get("CAIRN_POSTGRES_DATABASE") != facts["database"]:
                    problems.add(f"{where}: CAIRN_POSTGRES_DATABASE {env.get('CAIRN_POSTGRES_DATABASE')} != {facts['database']}")
                for callee in facts["callees"]:
                    var = next(v for v, s in URL_VARS.items() if s == callee)
                    port = str(by_kind(docs, "Service")[callee]["spec"]["ports"][0]["port"])
                    if not str(env.get(var, "")).startswith(f"http://{callee}.cairn.svc:{port}"):
                        problems.add(f"{where}: {var} = {env.get(var)} does not point at Service {callee}:{port}")


def selects(selector: dict, labels: dict) -> bool:
    ok = all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())
    for e in selector.get("matchExpressions", []):
        value = labels.get(e["key"])
        ok &= {"In": value in e.get("values", []), "NotIn": value not in e.get("values", []),
               "Exists": value is not None, "DoesNotExist": value is None}[e["operator"]]
    return ok


@check
def k8s_service_objects(problems: Problems) -> None:
    """Each service has its Service, HPA (CPU; Kafka lag for consumers), PDB, ServiceMonitor."""
    facts = service_facts()
    for render, docs in renders().items():
        deployments = by_kind(docs, "Deployment")
        services, hpas, pdbs = by_kind(docs, "Service"), by_kind(docs, "HorizontalPodAutoscaler"), by_kind(docs, "PodDisruptionBudget")
        monitors = by_kind(docs, "ServiceMonitor")
        for name, d in deployments.items():
            where = f"{render}: {name}"
            labels = d["spec"]["template"]["metadata"]["labels"]
            ports = {p["name"]: p["containerPort"] for p in d["spec"]["template"]["spec"]["containers"][0]["ports"]}
            svc = services.get(name)
            if not svc or not all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()):
                problems.add(f"{where}: no Service selecting its pods")
            else:
                for p in svc["spec"]["ports"]:
                    if p["targetPort"] not in ports and p["targetPort"] not in ports.values():
                        problems.add(f"{where}: Service port {p['name']} targets {p['targetPort']}, no container port")
                chosen = [m for m in monitors.values() if selects(m["spec"]["selector"], svc["metadata"]["labels"])]
                if len(chosen) != 1:
                    problems.add(f"{where}: selected by {len(chosen)} ServiceMonitors, not 1")
                elif not {e["port"] for e in chosen[0]["spec"]["endpoints"]} <= {p["name"] for p in svc["spec"]["ports"]}:
                    problems.add(f"{where}: ServiceMonitor {chosen[0]['metadata']['name']} scrapes a port the Service lacks")
                metrics_port = "admin" if name == "gateway" else "http"
                if chosen and chosen[0]["spec"]["endpoints"][0]["port"] != metrics_port:
                    problems.add(f"{where}: /metrics is served on port {metrics_port}")
            hpa = hpas.get(name)
            if not hpa or hpa["spec"]["scaleTargetRef"] != {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}:
                problems.add(f"{where}: no HorizontalPodAutoscaler for the Deployment")
            else:
                kinds = {m["type"] for m in hpa["spec"]["metrics"]}
                if not any(m["type"] == "Resource" and m["resource"]["name"] == "cpu" for m in hpa["spec"]["metrics"]):
                    problems.add(f"{where}: HPA does not scale on CPU")
                groups = {m["external"]["metric"]["selector"]["matchLabels"]["consumergroup"] for m in hpa["spec"]["metrics"] if m["type"] == "External"}
                if facts[name]["groups"] and not groups:
                    problems.add(f"{where}: consumes Kafka ({sorted(facts[name]['groups'])}) but the HPA ignores lag")
                if not groups <= facts[name]["groups"]:
                    problems.add(f"{where}: HPA scales on consumer groups {sorted(groups - facts[name]['groups'])} the service does not use")
                if "External" in kinds and hpa["spec"]["minReplicas"] < 1:
                    problems.add(f"{where}: HPA minReplicas < 1")
            pdb = pdbs.get(name)
            if not pdb or not selects(pdb["spec"]["selector"], labels):
                problems.add(f"{where}: no PodDisruptionBudget for its pods")


def policy_peers(rule_peers: list[dict]) -> set[str]:
    return {p["podSelector"]["matchLabels"]["app.kubernetes.io/name"] for p in rule_peers
            if "podSelector" in p and "namespaceSelector" not in p and "app.kubernetes.io/name" in p["podSelector"].get("matchLabels", {})}


@check
def k8s_network_policies(problems: Problems) -> None:
    """Default deny; only the gateway open to outside; edges = the callers in the code."""
    facts = service_facts()
    for render, docs in renders().items():
        policies = by_kind(docs, "NetworkPolicy")
        ports = {n: d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] for n, d in by_kind(docs, "Deployment").items()}
        deny = policies.get("default-deny")
        if not deny or deny["spec"]["podSelector"] != {} or set(deny["spec"]["policyTypes"]) != {"Ingress", "Egress"} or deny["spec"].get("ingress") or deny["spec"].get("egress"):
            problems.add(f"{render}: no default-deny policy for ingress and egress")
        dns = policies.get("allow-dns")
        if not dns or not any({"port": 53, "protocol": "UDP"} in r.get("ports", []) for r in dns["spec"].get("egress", [])):
            problems.add(f"{render}: pods cannot reach DNS")
        ingress_from, egress_to, infra = {}, {}, {}
        for name in SERVICES:
            policy = policies.get(name)
            if not policy or policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name") != name:
                problems.add(f"{render}: no NetworkPolicy for {name}")
                continue
            ingress_from[name], egress_to[name], infra[name] = set(), {}, set()
            for rule in policy["spec"].get("ingress", []):
                if "from" not in rule and name != "gateway":
                    problems.add(f"{render}: {name} accepts traffic from anywhere; only the gateway may")
                ingress_from[name] |= policy_peers(rule.get("from", []))
            for rule in policy["spec"].get("egress", []):
                peers = policy_peers(rule.get("to", []))
                for peer in peers:
                    egress_to[name][peer] = {p["port"] for p in rule.get("ports", [])}
                if not rule.get("to"):
                    infra[name] |= {p["port"] for p in rule.get("ports", [])}
        for name in ingress_from:
            f = facts[name]
            if set(egress_to[name]) != f["callees"]:
                problems.add(f"{render}: {name} may call {sorted(egress_to[name])}, the code calls {sorted(f['callees'])}")
            for callee, allowed in egress_to[name].items():
                if allowed != {ports.get(callee)}:
                    problems.add(f"{render}: {name} -> {callee} allows ports {sorted(allowed)}, {callee} listens on {ports.get(callee)}")
                if name not in ingress_from.get(callee, set()):
                    problems.add(f"{render}: {name} may call {callee}, but {callee}'s policy does not admit it")
            callers = {c for c in SERVICES if name in facts[c]["callees"]}
            if ingress_from[name] != callers:
                problems.add(f"{render}: {name} admits {sorted(ingress_from[name])}, its callers in the code are {sorted(callers)}")
            wanted = {INFRA_PORTS[d] for d in f["deps"]}
            if infra[name] != wanted:
                problems.add(f"{render}: {name} may reach ports {sorted(infra[name])} anywhere; its dependencies need {sorted(wanted)}")


@check
def k8s_kafka_topics(problems: Problems) -> None:
    """A KafkaTopic per EventTopic case and per DLQ, with EventTopic's partition counts."""
    topics = event_topics()
    if len(topics) < 8:
        problems.add(f"read only {len(topics)} topics from EventTopic.swift")
    for render, docs in renders().items():
        kafka_topics = {t["spec"].get("topicName", t["metadata"]["name"]): t for t in by_kind(docs, "KafkaTopic").values()}
        wanted = set(topics) | {f"{t}.dlq" for t in topics}
        if set(kafka_topics) != wanted:
            problems.add(f"{render}: KafkaTopics missing {sorted(wanted - set(kafka_topics))}, extra {sorted(set(kafka_topics) - wanted)}")
        for name, partitions in topics.items():
            if name in kafka_topics and kafka_topics[name]["spec"]["partitions"] != partitions:
                problems.add(f"{render}: {name} has {kafka_topics[name]['spec']['partitions']} partitions, EventTopic says {partitions}")
        if {t["metadata"]["labels"].get("strimzi.io/cluster") for t in kafka_topics.values()} != {"cairn"}:
            problems.add(f"{render}: KafkaTopics not all labelled strimzi.io/cluster: cairn")


# ----------------------------------------------------------------------------- compose
@cached
def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@check
def compose_file(problems: Problems) -> None:
    """Spec-valid, references resolve, KRaft, topics, Prometheus targets, same env as k8s."""
    from compose_spec import PyCompose

    doc = compose()
    try:
        PyCompose.from_yaml(yaml.safe_dump(doc))  # merge keys (<<) resolved by PyYAML first
    except Exception as error:  # noqa: BLE001 - the parser's message is the finding
        problems.add(f"compose-spec: {error}")
    services = doc["services"]
    volumes = set(doc.get("volumes", {}))
    for name, svc in services.items():
        for dep in svc.get("depends_on", {}):
            if dep not in services:
                problems.add(f"compose: {name} depends on unknown service {dep}")
        for v in svc.get("volumes", []):
            source = v.split(":")[0]
            if not source.startswith((".", "/")) and source not in volumes:
                problems.add(f"compose: {name} mounts undeclared volume {source}")
            elif source.startswith(".") and not (REPO / source).exists():
                problems.add(f"compose: {name} mounts missing path {source}")
    kafka = services.get("kafka", {})
    if "zookeeper" in services or "controller" not in str(kafka.get("environment", {}).get("KAFKA_PROCESS_ROLES", "")):
        problems.add("compose: Kafka is not a KRaft controller+broker")
    for infra in ("postgres", "redis", "kafka", "prometheus", "grafana"):
        if infra not in services:
            problems.add(f"compose: no {infra} service")
    script = " ".join(services.get("kafka-topics", {}).get("command", []))
    for topic, partitions in event_topics().items():
        if f"{topic}:{partitions}" not in script:
            problems.add(f"compose: kafka-topics does not create {topic} with {partitions} partitions")
    # Prometheus scrapes each service where its /metrics is.
    prom = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    targets = {t for job in prom["scrape_configs"] for sc in job["static_configs"] for t in sc["targets"]}
    k8s_docs = renders()["base"]
    configmap = by_kind(k8s_docs, "ConfigMap")["cairn-config"]
    k8s_env = {n: container_env(d, configmap) for n, d in by_kind(k8s_docs, "Deployment").items()}
    for name in SERVICES:
        svc = services.get(name)
        if not svc:
            problems.add(f"compose: no service {name}")
            continue
        env = {k: str(v) for k, v in (svc.get("environment") or {}).items()}
        port = env.get("CAIRN_GATEWAY_ADMIN_PORT") or env.get("CAIRN_HTTP_PORT")
        if f"{name}:{port}" not in targets:
            problems.add(f"compose: Prometheus does not scrape {name}:{port}")
        if not svc.get("read_only") or svc.get("cap_drop") != ["ALL"]:
            problems.add(f"compose: {name} is not read-only with all capabilities dropped")
        grace = int(str(svc.get("stop_grace_period", "10s")).rstrip("s"))
        if grace <= int(env.get("CAIRN_SHUTDOWN_GRACE_SECONDS", 10)):
            problems.add(f"compose: {name} stop_grace_period {grace}s <= its drain")
        # The same variable names as on Kubernetes: compose sets nothing k8s lacks, and every
        # variable k8s sets for this service alone is set in compose too (the shared ConfigMap
        # gives every pod all URLs and endpoints; compose gives each only what it uses).
        k8s_names = set(k8s_env[name])
        only_compose = set(env) - k8s_names
        if only_compose:
            problems.add(f"compose: {name} sets {sorted(only_compose)}, k8s does not")
        own = {e["name"] for e in by_kind(k8s_docs, "Deployment")[name]["spec"]["template"]["spec"]["containers"][0].get("env", [])}
        missing = own - set(env)
        if missing:
            problems.add(f"compose: {name} lacks {sorted(missing)}, which k8s sets for it")
        for dep in service_facts()[name]["deps"]:
            needed = {"postgres": "CAIRN_POSTGRES_HOST", "redis": "CAIRN_REDIS_HOST", "kafka": "CAIRN_KAFKA_BROKERS"}[dep]
            if needed not in env:
                problems.add(f"compose: {name} depends on {dep} but has no {needed}")
        for var in env:
            if var.startswith("CAIRN_") and var not in env_names_in_code():
                problems.add(f"compose: {name}: {var} is read by no Swift source")


# ----------------------------------------------------------------------------- PromQL
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
                "offset", "bool", "inf", "nan", "le", "atan2"}


def promql_metrics(expr: str) -> set[str]:
    """The metric names an expression selects (good enough for the queries written here:
    strings, label matchers, ranges and grouping clauses are removed first)."""
    e = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)
    e = re.sub(r"\{[^}]*\}", "", e)
    e = re.sub(r"\[[^\]]*\]", "", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    names = set()
    for m in re.finditer(r"(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", e):
        word = m.group(1)
        if word not in PROMQL_WORDS and not re.fullmatch(r"\d+[smhdwy]", word):
            names.add(word)
    return names


def grafana_to_promql(expr: str) -> str:
    """Grafana template variables replaced by what they expand to, for promtool."""
    e = expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
    return re.sub(r"\$\{?(\w+)\}?", ".*", e)


def promtool_error(result: subprocess.CompletedProcess) -> str:
    """promtool's complaint without its progress lines."""
    lines = (result.stdout + "\n" + result.stderr).splitlines()
    return " ".join(l.strip() for l in lines if l.strip() and not l.startswith(("Checking ", "Unit Testing: ")) and "FAILED:" != l.strip())


def promtool_check_exprs(exprs: dict[str, str], problems: Problems) -> None:
    """Each expression parsed by promtool, as a recording rule."""
    rules = [{"record": f"check:{i}", "expr": e} for i, e in enumerate(exprs.values())]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "exprs.yml"
        path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
        result = run([promtool(), "check", "rules", str(path)])
        if result.returncode != 0:
            # Find the culprits one by one: promtool names only the first few.
            for where, e in exprs.items():
                path.write_text(yaml.safe_dump({"groups": [{"name": "one", "rules": [{"record": "check:one", "expr": e}]}]}))
                one = run([promtool(), "check", "rules", str(path)])
                if one.returncode != 0:
                    problems.add(f"{where}: invalid PromQL: {promtool_error(one)}")


@check
def prometheus_rules(problems: Problems) -> None:
    """promtool check config + rules, promtool unit tests, known metrics, runbook sections."""
    prom_dir = REPO / "deploy/prometheus"
    result = run([promtool(), "check", "config", str(prom_dir / "prometheus.yml")])
    if result.returncode != 0:
        problems.add(f"promtool check config: {promtool_error(result)}")
    result = run([promtool(), "test", "rules", str(prom_dir / "alerts_test.yml")], cwd=prom_dir)
    if result.returncode != 0:
        problems.add(f"promtool test rules: {promtool_error(result)}")
    runbook = (REPO / "deploy/RUNBOOK.md").read_text()
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", runbook, re.M)}
    known = exported_metrics() | EXTERNAL_METRICS
    tested = set(re.findall(r"alertname: (\w+)", (prom_dir / "alerts_test.yml").read_text()))
    alerts = [r for g in yaml.safe_load((prom_dir / "alerts.yml").read_text())["groups"] for r in g["rules"] if "alert" in r]
    names = {a["alert"] for a in alerts}
    for wanted in ("CairnHighErrorRate", "CairnHighLatencyP99", "CairnConsumerLagHigh", "CairnDLQGrowing", "CairnReadinessFlapping"):
        if wanted not in names:
            problems.add(f"alerts.yml: no {wanted}")
    for rule in alerts:
        name = rule["alert"]
        if rule.get("labels", {}).get("severity") not in ("page", "warn"):
            problems.add(f"{name}: severity is not page or warn")
        if not rule.get("annotations", {}).get("summary"):
            problems.add(f"{name}: no summary")
        link = rule.get("annotations", {}).get("runbook", "")
        if not link.startswith("deploy/RUNBOOK.md#") or link.split("#", 1)[1] not in anchors:
            problems.add(f"{name}: runbook {link!r} is no section of deploy/RUNBOOK.md")
        unknown = promql_metrics(rule["expr"]) - known
        if unknown:
            problems.add(f"{name}: queries {sorted(unknown)}, which no service exports")
    untested = {"CairnHighErrorRate", "CairnDLQGrowing", "CairnReadinessFlapping", "CairnConsumerLagHigh"} - tested
    if untested:
        problems.add(f"alerts_test.yml does not test {sorted(untested)}")


@check
def grafana_dashboards(problems: Problems) -> None:
    """Dashboards parse, are laid out sanely, query valid PromQL over exported metrics."""
    provisioning = yaml.safe_load((REPO / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text())
    datasource_uids = {d["uid"] for d in provisioning["datasources"]}
    files = sorted((REPO / "deploy/grafana/dashboards").glob("*.json"))
    if {f.stem for f in files} < {"cairn-overview", "cairn-rag", "cairn-kafka", "cairn-billing"}:
        problems.add(f"dashboards: expected overview, rag, kafka and billing; found {[f.name for f in files]}")
    known = exported_metrics() | EXTERNAL_METRICS
    exprs, uids = {}, set()
    for f in files:
        try:
            dash = json.loads(f.read_text())
        except json.JSONDecodeError as error:
            problems.add(f"{f.name}: not JSON: {error}")
            continue
        if dash.get("uid") in uids or not dash.get("uid"):
            problems.add(f"{f.name}: missing or duplicate uid")
        uids.add(dash.get("uid"))
        ids = [p["id"] for p in dash["panels"]]
        if len(ids) != len(set(ids)):
            problems.add(f"{f.name}: duplicate panel ids")
        variables = {v["name"] for v in dash.get("templating", {}).get("list", [])}
        for v in dash.get("templating", {}).get("list", []):
            if "query" in v:
                query = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
                inner = re.fullmatch(r"label_values\((.*),\s*\w+\)", query)
                if inner:
                    exprs[f"{f.name} variable {v['name']}"] = grafana_to_promql(inner.group(1))
        for p in dash["panels"]:
            g = p["gridPos"]
            if g["x"] + g["w"] > 24:
                problems.add(f"{f.name}: panel {p['title']!r} is wider than the grid")
            if p["type"] in ("row", "text"):
                continue
            if p.get("datasource", {}).get("uid") not in datasource_uids:
                problems.add(f"{f.name}: panel {p['title']!r} uses an unprovisioned datasource")
            if not p.get("targets"):
                problems.add(f"{f.name}: panel {p['title']!r} has no query")
            for t in p.get("targets", []):
                where = f"{f.name}: {p['title']!r} {t.get('refId')}"
                for var in re.findall(r"\$\{?(\w+)", t["expr"]):
                    if not var.startswith("__") and var not in variables:
                        problems.add(f"{where}: uses undefined variable ${var}")
                exprs[where] = grafana_to_promql(t["expr"])
                unknown = promql_metrics(exprs[where]) - known
                if unknown:
                    problems.add(f"{where}: queries {sorted(unknown)}, which no service exports")
    if len(exprs) < 20:
        problems.add(f"dashboards: only {len(exprs)} queries found")
    promtool_check_exprs(exprs, problems)
    provider = yaml.safe_load((REPO / "deploy/grafana/provisioning/dashboards/cairn.yml").read_text())
    mounts = compose()["services"]["grafana"]["volumes"]
    if f"./deploy/grafana/dashboards:{provider['providers'][0]['options']['path']}:ro" not in mounts:
        problems.add("compose: Grafana does not mount the dashboards where the provider looks")


@check
def metric_names_read(problems: Problems) -> None:
    """The metric list the checks above rely on is not empty or stale."""
    names = exported_metrics()
    for wanted in ("http_requests_total", "http_request_duration_seconds_bucket", "kafka_consumer_lag",
                   "kafka_consumer_messages_total", "process_resident_memory_bytes", "process_cpu_seconds_total"):
        if wanted not in names:
            problems.add(f"metric {wanted} not found in the Swift sources: the extraction is broken")
    if not promql_metrics('sum by (service) (rate(a_total{x="b"}[5m])) / on (x) group_left b_seconds_bucket > 0') == {"a_total", "b_seconds_bucket"}:
        problems.add("promql_metrics() is broken")


# ----------------------------------------------------------------------------- runner
def main(argv: list[str]) -> int:
    global VERBOSE
    VERBOSE = "-v" in argv
    only = [a for a in argv if not a.startswith("-")]
    passed = failed = 0
    started = time.monotonic()
    for fn in CHECKS:
        if only and fn.__name__ not in only:
            continue
        problems, t0 = Problems(), time.monotonic()
        try:
            fn(problems)
        except Exception as error:  # noqa: BLE001 - a crash is a failed check, with its reason
            problems.add(f"{type(error).__name__}: {error}")
        took = time.monotonic() - t0
        if problems:
            failed += 1
            print(f"FAIL {fn.__name__} ({took:.1f} s): {fn.__doc__.splitlines()[0]}")
            for p in problems:
                print(f"     - {p}")
        else:
            passed += 1
            print(f"ok   {fn.__name__} ({took:.1f} s)")
    print(f"deploy checks took {time.monotonic() - started:.1f} s")
    print(f"deploy: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
