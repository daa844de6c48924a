"""The app's code, in layers, each a subpackage, none of which the entrypoint's rerun touches:

- ``data``: pure SQL queries (no Streamlit) and their thin ``st.cache_data`` wrappers;
- ``resources``: the process-wide database engine (``st.connection``){% if cookiecutter.ml_model %} and delay model
  (``st.cache_resource``){% endif %};
{%- if cookiecutter.ml_model %}
- ``model``: the delay model, plain scikit-learn (no Streamlit);
{%- endif %}
- ``state``: typed, namespaced per-page session state;
- ``components``: reusable fragments and widgets that the page scripts compose.
"""
