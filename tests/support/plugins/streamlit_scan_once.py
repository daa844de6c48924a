"""A pytest plugin for a bake's own test runs under the template's suite (``-p``): Streamlit's
scan of the installed packages for components, which ``AppTest`` repeats for every new app, made
once per test process.

The scan reads the metadata of every installed distribution, about 100 here, to find component
manifests: a third of a bake's own test run. Its result depends only on what is installed, which
a test run doesn't change, so reusing it checks the same things. The bake's own environment runs
its tests without this plugin, as its users do.
"""

import functools

from streamlit.components.v2 import manifest_scanner

# ``BidiComponentManager.discover_and_register_components`` imports the function from the module
# at each call, so replacing the module's attribute reaches every AppTest.
manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests
)
