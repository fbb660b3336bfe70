"""Build hook: compile the Swedish catalogs into the package, so that every wheel (and a
plain `pip install .`) serves Swedish. The rest of the build is declared in pyproject.toml."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithCatalogs(build_py):
    """build_py that also writes translations/<locale>/LC_MESSAGES/messages.mo."""

    def run(self) -> None:
        super().run()
        spec = importlib.util.spec_from_file_location(
            "survey_catalogs", HERE / "survey" / "translations" / "catalogs.py"
        )
        catalogs = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(catalogs)
        sources = HERE / "survey" / "translations"
        if getattr(self, "editable_mode", False):
            catalogs.compile_catalogs(sources)  # the checkout itself is what gets imported
        else:
            catalogs.compile_catalogs(sources, Path(self.build_lib) / "survey" / "translations")


setup(cmdclass={"build_py": BuildWithCatalogs})
