"""The Kubernetes manifests: ``kubernetes-validate --strict``, then what a validator cannot know:
an embedded database keeps one pod while PostgreSQL lets replicas roll and scale, every
container is hardened, the probes call the app's health routes, the ingress keeps sessions and
websockets, every Secret key the pods read is in the documented ``kubectl create secret``
command, and the drain fits the grace period."""

import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.deploy import (
    APP_UID,
    PROBES,
    DeployBake,
    deploying,
    run_tool,
)
from tests.support.files import yaml_documents
from tests.support.template import label

KUBERNETES = "1.33.0"
"""The Kubernetes version the manifests are validated against (a recent one that
kubernetes-validate bundles; the manifests use nothing newer)."""


pytestmark = pytest.mark.xdist_group("deploy")  # one test process makes each bake once


@pytest.fixture(params=deploying("kubernetes"), ids=label)
def kubernetes(request, bake) -> DeployBake:
    """Each Kubernetes bake of ``DEPLOY_BAKES``, from the registry."""
    return DeployBake(bake(**request.param), request.param)


def test_manifests_pass_strict_validation(kubernetes):
    files = sorted(set(kubernetes.manifests()) - {"kustomization.yaml"})
    check = run_tool(
        "kubernetes-validate", "--strict", "-k", KUBERNETES,
        *(f"deploy/k8s/{name}" for name in files), cwd=kubernetes.project,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(" passed for resource ") == len(files), check.stdout


def test_kustomization_lists_every_manifest_and_an_immutable_image(kubernetes):
    manifests = kubernetes.manifests()
    (kustomization,) = manifests.pop("kustomization.yaml")
    assert sorted(kustomization["resources"]) == sorted(manifests)
    (image,) = kustomization["images"]
    (container,) = kubernetes.pod()["containers"]
    assert container["image"].split(":")[0] == image["name"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", image["newTag"])
    assert (
        image["newTag"]
        == tomllib.loads((kubernetes.project / "pyproject.toml").read_text())["project"]["version"]
    )


def test_no_image_anywhere_is_latest_or_untagged(deployed):
    files = [deployed.project / "Dockerfile", *deployed.project.rglob("*.y*ml")]
    assert not [path for path in files if ":latest" in path.read_text()]
    images = [stage.image for stage in deployed.stages]
    for path in files[1:]:
        for document in yaml_documents(path.read_text()):
            images += list(image_references(document))
    assert len(images) > len(deployed.stages)  # the YAML files' images were found too
    untagged = [i for i in images if not re.search(r":[\w.-]*\d[\w.-]*$|@sha256:", i)]
    assert untagged == []


def image_references(node: object, key: str = "") -> Iterator[str]:
    """Every image named in a parsed YAML document: an ``image`` value (Compose, Kubernetes,
    CI), and a GitLab service's ``name``."""
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from image_references(child, str(child_key))
    elif isinstance(node, list):
        for child in node:
            if key == "services" and isinstance(child, dict) and "name" in child:
                yield child["name"]
            else:
                yield from image_references(child, key)
    elif key == "image" and isinstance(node, str):
        yield node


def test_embedded_database_keeps_one_pod_and_postgresql_rolls_and_scales(kubernetes):
    manifests = kubernetes.manifests()
    (deployment,) = manifests["deployment.yaml"]
    spec, pod = deployment["spec"], kubernetes.pod()
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    if not kubernetes.server_database:
        assert spec["replicas"] == 1
        assert spec["strategy"] == {"type": "Recreate"}
        assert {"hpa.yaml", "pdb.yaml"}.isdisjoint(manifests)
        (claim,) = manifests["pvc.yaml"]
        assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
        data = volumes["data"]["persistentVolumeClaim"]["claimName"]
        assert data == claim["metadata"]["name"]
        assert {"name": "data", "mountPath": "/app/data"} in pod["containers"][0]["volumeMounts"]
    else:
        assert "replicas" not in spec, "the autoscaler owns the replica count"
        assert spec["strategy"] == {
            "type": "RollingUpdate",
            "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
        }
        assert "pvc.yaml" not in manifests and "data" not in volumes
        (autoscaler,) = manifests["hpa.yaml"]
        target = autoscaler["spec"]["scaleTargetRef"]
        assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
        assert autoscaler["spec"]["minReplicas"] >= 2
        assert autoscaler["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] >= 300
        (budget,) = manifests["pdb.yaml"]
        assert budget["spec"]["minAvailable"] == 1
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_every_container_is_hardened(kubernetes):
    pod = kubernetes.pod()
    context = pod["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] == context["runAsGroup"] == context["fsGroup"] == APP_UID
    assert kubernetes.runtime.last("USER").arguments == f"{context['runAsUser']}:{APP_UID}"
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    for container in pod["containers"]:
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False
        assert security["readOnlyRootFilesystem"] is True
        assert security["capabilities"] == {"drop": ["ALL"]}
        assert {"requests", "limits"} <= set(container["resources"])
        assert "memory" in container["resources"]["limits"]
        mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
        assert "emptyDir" in volumes[mounts["/tmp"]]
        env = {variable["name"]: variable for variable in container["env"]}
        assert env["HOME"]["value"] == "/tmp"


def test_probes_use_the_health_route_on_the_served_port(kubernetes):
    (container,) = kubernetes.pod()["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert ports == {"http": 8501}
    liveness, readiness = PROBES[kubernetes.server]
    paths = {probe: container[probe]["httpGet"] for probe in container if probe.endswith("Probe")}
    assert paths == {
        "startupProbe": {"path": liveness, "port": "http"},
        "readinessProbe": {"path": readiness, "port": "http"},
        "livenessProbe": {"path": liveness, "port": "http"},
    }
    startup = container["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 300, "a first data load"


def test_the_service_and_ingress_reach_the_pods(kubernetes):
    manifests = kubernetes.manifests()
    (service,) = manifests["service.yaml"]
    (ingress,) = manifests["ingress.yaml"]
    (deployment,) = manifests["deployment.yaml"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http"}]
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend == {"name": service["metadata"]["name"], "port": {"name": "http"}}
    assert rule["host"] in ingress["spec"]["tls"][0]["hosts"]


def test_the_ingress_keeps_sessions_and_websockets(kubernetes):
    (ingress,) = kubernetes.manifests()["ingress.yaml"]
    assert ingress["spec"]["ingressClassName"] == "nginx"
    notes = {
        key.removeprefix("nginx.ingress.kubernetes.io/"): value
        for key, value in ingress["metadata"]["annotations"].items()
    }
    assert notes["affinity"] == "cookie" and notes["affinity-mode"] == "persistent"
    assert notes["session-cookie-samesite"] == "Lax" and notes["session-cookie-path"] == "/"
    assert notes["session-cookie-name"]
    assert int(notes["proxy-read-timeout"]) >= 3600 and int(notes["proxy-send-timeout"]) >= 3600
    assert int(notes["proxy-buffer-size"].removesuffix("k")) >= 16
    config = tomllib.loads((kubernetes.project / ".streamlit" / "config.toml").read_text())
    assert "maxUploadSize" not in config.get("server", {})  # so Streamlit's default holds
    assert notes["proxy-body-size"] == f"{streamlit_default('server.maxUploadSize')}m"


def streamlit_default(option: str) -> Any:
    """The default value of one of Streamlit's config options."""
    from streamlit import config

    return config.get_config_options()[option].default_val


def test_every_secret_the_pods_read_is_in_the_create_secret_command(kubernetes):
    kustomization = (kubernetes.project / "deploy" / "k8s" / "kustomization.yaml").read_text()
    command = re.search(r"kubectl create secret generic (\S+)((?:.*\\\n)*.*)", kustomization)
    assert command, "the create-secret command is documented"
    documented = {
        (command.group(1), key)
        for key in re.findall(r"--from-(?:literal|file)=([\w.-]+)=", command.group(2))
    }
    pod = kubernetes.pod()
    (container,) = pod["containers"]
    read = {
        (ref["name"], ref["key"])
        for variable in container["env"]
        if (ref := variable.get("valueFrom", {}).get("secretKeyRef"))
    }
    for volume in pod["volumes"]:
        if secret := volume.get("secret"):
            read |= {(secret["secretName"], item["key"]) for item in secret["items"]}
            assert not secret.get("optional")
    assert read == documented
    assert not [ref for ref in container["env"] if "optional" in str(ref)]

    env = {variable["name"] for variable in container["env"]}
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in env
    config = next((kubernetes.project / "src").glob("*/config.py")).read_text()
    (database_url,) = re.findall(r'"(\w+_DATABASE_URL)"', config)
    assert (database_url in env) == kubernetes.server_database
    if kubernetes.auth == "oidc":
        (mount,) = [m for m in container["volumeMounts"] if m["name"] != "tmp" and "subPath" in m]
        assert mount["mountPath"] == "/app/.streamlit/secrets.toml" and mount["readOnly"]


def test_streamlit_under_uvicorn_reads_the_cookie_secret_from_the_environment(tmp_path):
    # st.App loads its config with bootstrap.load_config_options, which reads STREAMLIT_*
    # variables only for sensitive options: the cookie secret must stay one of them.
    code = (
        "from streamlit import config\nfrom streamlit.web import bootstrap\n"
        "bootstrap.load_config_options({})\nprint(config.get_option('server.cookieSecret'))"
    )
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": "one-for-all", "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.stdout.strip() == "one-for-all", run.stderr[-2000:]


def test_the_drain_fits_the_grace_period(kubernetes):
    pod = kubernetes.pod()
    (container,) = pod["containers"]
    pause = container.get("lifecycle", {}).get("preStop", {}).get("exec", {}).get("command")
    if kubernetes.server_database:
        assert pause and pause[0] == "sleep", "leave the endpoints before SIGTERM"
    paused = int(pause[1]) if pause else 0
    assert pod["terminationGracePeriodSeconds"] > paused + kubernetes.drain_seconds()


def stop_seconds(project) -> float:
    """How long a stopping job worker lets its job run on (``jobs/worker.py``)."""
    (worker,) = project.glob("src/*/jobs/worker.py")
    found = re.search(r"^STOP_SECONDS = ([\d.]+)$", worker.read_text(), re.MULTILINE)
    assert found, "STOP_SECONDS is not a number in jobs/worker.py"
    return float(found[1])


def test_job_workers_run_in_pods_of_their_own_beside_postgresql(kubernetes):
    manifests = kubernetes.manifests()
    (app,) = kubernetes.pod()["containers"]
    app_env = {variable["name"]: variable.get("value") for variable in app["env"]}
    workers = {"worker.yaml", "worker-hpa.yaml", "worker-pdb.yaml"}
    if not kubernetes.server_database:  # one worker, in the app's one pod, by the file's rule
        assert workers.isdisjoint(manifests)
        assert not any(name.endswith("_JOB_WORKERS") for name in app_env)
        return
    (package,) = [folder.name for folder in (kubernetes.project / "src").iterdir()]
    assert app_env[f"{package.upper()}_JOB_WORKERS"] == "0"
    (deployment,) = manifests["worker.yaml"]
    pod = deployment["spec"]["template"]
    labels = pod["metadata"]["labels"]
    (service,) = manifests["service.yaml"]
    assert not service["spec"]["selector"].items() <= labels.items(), "the app's Service"
    assert "replicas" not in deployment["spec"], "the autoscaler owns the worker count"
    (worker,) = pod["spec"]["containers"]
    assert worker["image"] == app["image"]
    assert worker["command"] == ["python", "-m", f"{package}.jobs.worker"]
    env = {variable["name"]: variable for variable in worker["env"]}
    assert env[f"{package.upper()}_DATABASE_URL"] == next(
        variable for variable in app["env"] if variable["name"].endswith("_DATABASE_URL")
    )
    assert "ports" not in worker and "/tmp/job-worker-alive" in str(worker["livenessProbe"])
    assert pod["spec"]["terminationGracePeriodSeconds"] > stop_seconds(kubernetes.project) + 5
    for key in ("securityContext", "automountServiceAccountToken"):
        assert pod["spec"][key] == kubernetes.pod()[key]
    assert worker["securityContext"] == app["securityContext"]
    assert "memory" in worker["resources"]["limits"] and "cpu" in worker["resources"]["requests"]
    (autoscaler,) = manifests["worker-hpa.yaml"]
    target = autoscaler["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    (budget,) = manifests["worker-pdb.yaml"]
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert budget["spec"]["maxUnavailable"] == 1


def test_the_app_answers_to_the_ingress_s_host_and_loopback_only(kubernetes):
    (ingress,) = kubernetes.manifests()["ingress.yaml"]
    hosts = [rule["host"] for rule in ingress["spec"]["rules"]]
    if kubernetes.server == "asgi":
        (app,) = kubernetes.pod()["containers"]
        env = {variable["name"]: variable.get("value") for variable in app["env"]}
        (given,) = [value for name, value in env.items() if name.endswith("_ALLOWED_HOSTS")]
        assert given.split(",") == hosts
        return
    config = tomllib.loads((kubernetes.project / ".streamlit" / "config.toml").read_text())
    allowed = config["server"]["allowedHosts"]
    assert set(hosts) <= set(allowed) and {"localhost", "127.0.0.1"} <= set(allowed)
