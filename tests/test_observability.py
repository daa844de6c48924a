"""The observability files of the bakes that deploy with compose or Kubernetes and serve with
uvicorn (``deploy/observability/``): alert rules that promtool checks and whose unit tests fire,
compose's Prometheus config and opt-in profile, Kubernetes's PodMonitor, and a Grafana
dashboard whose queries name only series the app's ``metrics.py`` makes, every one of them,
and Streamlit's own cache counters.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support.deploy import DEPLOY_BAKES, STREAMLIT_FAMILIES, STREAMLIT_SERIES
from tests.support.postgres import skip_or_fail
from tests.support.template import label

OBSERVED = [
    answers
    for answers in DEPLOY_BAKES
    if answers["deployment"] in ("compose", "kubernetes") and answers.get("server") != "streamlit"
]
"""The bakes of ``DEPLOY_BAKES`` that ship ``deploy/observability/``."""

SERIES = re.compile(r"\b(?:app|process|cache)_[a-z_]+\b")
"""A series' name in a PromQL expression: the app's own, the process collector's, or one of
Streamlit's cache counters."""


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Debian's ``promtool`` (the ``prometheus`` package, which ``.ci/run`` installs)."""
    command = shutil.which("promtool")
    if command is None:
        skip_or_fail("no promtool (apt-get install prometheus)")
    return subprocess.run([str(command), *args], cwd=cwd, capture_output=True, text=True)


SUFFIXES = {"Histogram": ("_bucket", "_count", "_sum"), "Counter": ("_total",), "Gauge": ("",)}
"""The series a metric of each kind makes, by the suffix on its name."""


def declared_metrics(project: Path) -> dict[str, set[str]]:
    """Each metric that the bake's ``metrics.py`` declares, by name, with the names of the
    series it makes (``SUFFIXES``)."""
    source = next((project / "src").glob("*/metrics.py")).read_text(encoding="utf-8")
    return {
        name: {name + suffix for suffix in SUFFIXES[kind]}
        for kind, name in re.findall(r"(Histogram|Counter|Gauge)\(\s*\"(\w+)\"", source)
    }


def expressions(folder: Path) -> dict[str, list[str]]:
    """Each dashboard panel's and each alert rule's PromQL, by its title or alert name."""
    dashboard = json.loads((folder / "dashboard.json").read_text(encoding="utf-8"))
    rules = yaml.safe_load((folder / "alerts.yml").read_text(encoding="utf-8"))
    found = {
        panel["title"]: [target["expr"] for target in panel["targets"]]
        for panel in dashboard["panels"]
    }
    for group in rules["groups"]:
        found |= {rule["alert"]: [rule["expr"]] for rule in group["rules"]}
    return found


@pytest.mark.parametrize("answers", DEPLOY_BAKES, ids=label)
def test_observability_ships_where_the_app_serves_its_metrics(bake, answers):
    folder = bake(**answers) / "deploy/observability"
    assert folder.is_dir() == (answers in OBSERVED)
    if answers in OBSERVED:
        own = {"compose": {"prometheus.yml", "grafana"}, "kubernetes": {"podmonitor.yaml"}}
        shipped = {path.name for path in folder.iterdir()}
        assert (
            shipped
            == {"dashboard.json", "alerts.yml", "alerts.test.yml"} | (own[answers["deployment"]])
        )


@pytest.mark.parametrize("answers", OBSERVED, ids=label)
def test_the_alerts_pass_promtool_and_fire_in_their_rule_tests(bake, answers):
    folder = bake(**answers) / "deploy/observability"
    checked = promtool("check", "rules", "alerts.yml", cwd=folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 3 rules found" in checked.stdout
    tested = promtool("test", "rules", "alerts.test.yml", cwd=folder)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    tests = yaml.safe_load((folder / "alerts.test.yml").read_text(encoding="utf-8"))["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert fired == {"AppScriptErrors", "AppSlowPage", "AppNotReady"}  # each rule fires once


@pytest.mark.parametrize("answers", OBSERVED, ids=label)
def test_the_dashboard_and_alerts_query_every_series_the_app_makes_and_no_other(bake, answers):
    project = bake(**answers)
    metrics = declared_metrics(project)
    assert len(metrics) == 9  # the regular expression found them all
    queried = expressions(project / "deploy/observability")
    named = {
        found for exprs in queried.values() for expr in exprs for found in SERIES.findall(expr)
    }
    made = set().union(*metrics.values())
    # the process collector's, and Streamlit's cache counters (served: tests/test_served.py)
    assert named - made == {"process_resident_memory_bytes", *STREAMLIT_SERIES}
    unqueried = [metric for metric, series in metrics.items() if not series & named]
    assert unqueried == []
    titles = " | ".join(queried)
    for shown in ("p50", "p95", "errors", "Fragment", "Cache hit rate", "sessions", "Ready"):
        assert shown in titles, shown


def test_compose_s_profile_scrapes_each_replica_and_stays_on_loopback(bake):
    (answers,) = [answers for answers in OBSERVED if answers["deployment"] == "compose"]
    project = bake(**answers)
    folder = project / "deploy/observability"
    checked = promtool("check", "config", "prometheus.yml", cwd=folder)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    config = yaml.safe_load((folder / "prometheus.yml").read_text(encoding="utf-8"))
    app, streamlit = config["scrape_configs"]
    assert (app["metrics_path"], app.get("params")) == ("/metrics", None)
    assert streamlit["metrics_path"] == "/_stcore/metrics"
    assert streamlit["params"] == {"families": STREAMLIT_FAMILIES}
    for scrape in (app, streamlit):  # every replica, found by the service's name
        assert scrape["dns_sd_configs"] == [
            {"names": ["app"], "type": "A", "port": 8501, "refresh_interval": "30s"}
        ]
    services = yaml.safe_load((project / "compose.yaml").read_text(encoding="utf-8"))["services"]
    for name in ("prometheus", "grafana"):
        service = services[name]
        assert service["profiles"] == ["observability"], name  # only when asked for
        assert all(port.startswith("127.0.0.1:") for port in service["ports"]), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (project / source).exists(), volume
    assert "profiles" not in services["app"]  # the app itself runs without the profile


@pytest.mark.parametrize(
    "answers", [a for a in OBSERVED if a["deployment"] == "kubernetes"], ids=label
)
def test_kubernetes_s_pod_monitor_scrapes_the_app_s_pods_for_both_sources(bake, answers):
    project = bake(**answers)
    monitor = yaml.safe_load(
        (project / "deploy/observability/podmonitor.yaml").read_text(encoding="utf-8")
    )
    assert (monitor["apiVersion"], monitor["kind"]) == ("monitoring.coreos.com/v1", "PodMonitor")
    pods = {}
    for manifest in ("deployment.yaml", "worker.yaml"):
        path = project / "deploy/k8s" / manifest
        if path.exists():
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))["spec"]["template"]
            pods[manifest] = spec
    selector = monitor["spec"]["selector"]["matchLabels"].items()
    assert selector <= pods["deployment.yaml"]["metadata"]["labels"].items()
    if "worker.yaml" in pods:  # a worker serves no HTTP
        assert not selector <= pods["worker.yaml"]["metadata"]["labels"].items()
    ports = {
        port["name"]
        for container in pods["deployment.yaml"]["spec"]["containers"]
        for port in container.get("ports", [])
    }
    endpoints = monitor["spec"]["podMetricsEndpoints"]
    assert [(e["port"] in ports, e["path"], e.get("params")) for e in endpoints] == [
        (True, "/metrics", None),
        (True, "/_stcore/metrics", {"families": STREAMLIT_FAMILIES}),
    ]
