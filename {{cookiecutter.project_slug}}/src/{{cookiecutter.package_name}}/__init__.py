"""{{ cookiecutter.project_name }}.

Layers, each a subpackage, none of which the entrypoint's rerun touches:

- ``data``: pure DuckDB queries (no Streamlit) and their thin ``st.cache_data`` wrappers;
- ``resources``: the process-wide DuckDB connection (``st.cache_resource``);
- ``state``: typed, namespaced per-page session state;
- ``components``: reusable fragments and widgets that the page scripts compose.
"""
