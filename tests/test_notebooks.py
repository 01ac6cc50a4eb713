"""The notebooks run from a clean kernel, are stored without outputs, and the docs cover the CLI.

Each notebook is executed with nbclient (kernel ``python3`` of this venv) in a temporary working
directory; ``REPORTANALYSIS_REPO`` tells it where data/sample is and ``REPORTANALYSIS_OUT``
where to write. Run just these with ``.venv/bin/python -m pytest -q tests/test_notebooks.py``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "python3"
CELL_TIMEOUT = 600  # seconds per cell: generous, the machine running CI may be shared

#: Something each notebook must have shown, proof that it did its work (not just ran).
EXPECTED_OUTPUT = {
    "01_quickstart.ipynb": ["report.html", "anekdotes"],
    "02_labelling.ipynb": ["alpha", "kappa", "suggested-accepted", "suggested-rejected"],
    "03_practices.ipynb": ["P1", "aanknopingspunt", "wij_werken"],
}


def _load(path: Path) -> Any:
    import nbformat

    return nbformat.read(path, as_version=4)


def test_there_are_three_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == sorted(EXPECTED_OUTPUT)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    nb = _load(path)
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {n} has outputs: clear them before saving"
            assert cell.execution_count is None, f"{path.name} cell {n} has an execution count"
    assert "widgets" not in nb.metadata, f"{path.name} holds widget state: clear it"
    assert nb.metadata.get("kernelspec", {}).get("name") == KERNEL


def _text_outputs(nb: Any) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            data = out.get("data", {})
            for mime in ("text/plain", "text/html", "text/markdown"):
                if mime in data:
                    parts.append(data[mime])
    return "\n".join(parts)


@pytest.fixture(scope="module")
def kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        pytest.fail(
            f"no Jupyter kernel {KERNEL!r}: "
            "run `.venv/bin/python -m ipykernel install --sys-prefix`"
        )
    python = spec.argv[0]
    assert (
        python in ("python", "python3")
        or Path(python).resolve().parent == Path(sys.executable).resolve().parent
    ), f"kernel {KERNEL!r} runs {python}, not this venv's Python"
    return KERNEL


@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs(
    path: Path, kernel_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nbclient import NotebookClient

    nb = _load(path)
    out = tmp_path / "out"
    monkeypatch.setenv("REPORTANALYSIS_REPO", str(ROOT))
    monkeypatch.setenv("REPORTANALYSIS_OUT", str(out))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    shown = _text_outputs(nb)
    for needle in EXPECTED_OUTPUT[path.name]:
        assert needle in shown, f"{path.name}: expected {needle!r} in the outputs"
    # what a notebook shows is pseudonymised: no planted full name, e-mail address, phone
    # number, address or IBAN (first names alone also occur in the frameworks' own examples)
    planted = json.loads((ROOT / "data" / "sample" / "PLANTED.json").read_text(encoding="utf-8"))
    leaked = [
        value
        for kind in ("persons", "emails", "phones", "addresses", "ibans")
        for value in planted.get(kind, [])
        if len(value) > 6 and value in shown
    ]
    assert not leaked, f"{path.name} shows personal data: {leaked}"
    assert not list(ROOT.glob("notebooks/*.ra")), "a notebook wrote its project into the repo"


# --------------------------------------------------------------------------- documentation


def _make_docs() -> Any:
    spec = importlib.util.spec_from_file_location("make_docs", ROOT / "scripts" / "make_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_command_and_option_is_in_cli_md() -> None:
    make_docs = _make_docs()
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = []
    for name, command in make_docs.cli_commands():
        heading = f"## `reportanalysis {name}`"
        if heading not in text:
            missing.append(name)
            continue
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("-") and opt != "--help" and f"{opt}" not in section:
                    missing.append(f"{name} {opt}")
    assert not missing, f"docs/cli.md lacks {missing}: run `.venv/bin/python scripts/make_docs.py`"


def test_make_docs_writes_api_pages(tmp_path: Path) -> None:
    make_docs = _make_docs()
    written = make_docs.write_api(tmp_path / "api")
    names = {p.name for p in written}
    assert {"index.md", "reportanalysis.pipeline.md", "reportanalysis.labels.md"} <= names
    pipeline = (tmp_path / "api" / "reportanalysis.pipeline.md").read_text(encoding="utf-8")
    assert "### `run`" in pipeline and "class `Config`" in pipeline
    # doctests become fenced code, sphinx roles plain code
    labels = (tmp_path / "api" / "reportanalysis.labels.md").read_text(encoding="utf-8")
    assert ":class:`" not in labels and ":func:`" not in labels
    index = (tmp_path / "api" / "index.md").read_text(encoding="utf-8")
    for path in written:
        if path.name != "index.md":
            assert f"]({path.name})" in index
    # The committed pages are the ones the docstrings make now.
    stale = [
        p.name
        for p in written
        if p.read_text(encoding="utf-8")
        != (ROOT / "docs" / "api" / p.name).read_text(encoding="utf-8")
    ]
    assert not stale, f"docs/api is out of date for {stale}: run scripts/make_docs.py"


def test_committed_api_pages_cover_every_public_module() -> None:
    make_docs = _make_docs()
    for name in make_docs.available_modules():
        page = ROOT / "docs" / "api" / f"{name}.md"
        assert page.exists(), f"{page} missing: run `.venv/bin/python scripts/make_docs.py`"
