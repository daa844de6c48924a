"""What the template's tests share, one idea a module; no test module imports another.

- ``template``: the template as data (its folders, cookiecutter.json, the options).
- ``answers``: sets of answers that cover the options (all-pairs, renders, own tests).
- ``hooks``: the hooks rendered as a bake renders them, and imported.
- ``bakes``: bakes made in-process or by the command line, and what a bake must hold.
- ``files``: the languages a bake's files must parse as.
- ``checks``: ruff, mypy, imports and a bake's own tests, each run once per distinct input.
- ``tables``: awkward data files, and a bake's ``tools/new.py table`` run on them.
- ``jinja_once``: a plugin of this suite: each template file's Jinja compiled once per process.
- ``plugins/``: pytest plugins for a bake's own test runs (``streamlit_scan_once``).
- ``served``: a bake installed and served, and its README's commands.
- ``deploy``: a bake's deployment files read as data (``dockerfile``: its Dockerfile).
- ``session`` and ``widgets``: a browser tab over Streamlit's websocket, and the widget codec.
- ``load``: K concurrent tabs; ``cluster``: replicas behind the bake's nginx.
- ``postgres``: scratch databases on the shared server; ``pg_server``: a private one.
"""
