"""How the MkDocs plugin puts pmkb's search behind Material's search box.

Material's search plugin keeps its search box; its indexing is unhooked and pmkb's
:class:`~generator.site_search.SiteSearch` indexes the author's pages and the incidents instead
(see :mod:`generator.search_records`). One of the modules that import MkDocs.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.utils.meta import get_data

from generator.build_cache import BuildCache
from generator.catalog import Catalog
from generator.generated_page import author_file
from generator.models import Postmortem
from generator.render import ASSETS_SITE_DIR, read_asset
from generator.site_search import WORKER_ASSET, SiteSearch
from generator.site_urls import page_url


def take_over_search(config: MkDocsConfig, engine: str) -> SiteSearch | None:
    """Return the site's search, with Material's indexing turned off; None to keep Material's.

    Material's search plugin stays in the configuration, so that its search box is in the
    header; only its indexing of every page (and its whole-site index) is unhooked.
    """
    material = config.plugins.get("material/search") or config.plugins.get("search")
    if engine == "material" or material is None or not material.config.get("enabled", True):
        return None
    for event in ("page_context", "post_build", "serve"):
        handlers = config.plugins.events.get(event, [])
        handlers[:] = [h for h in handlers if getattr(h, "__self__", None) is not material]
    return SiteSearch(worker_uri=f"{ASSETS_SITE_DIR}/{WORKER_ASSET}")


def index_site(
    search: SiteSearch,
    files: Files,
    config: MkDocsConfig,
    catalog: Catalog,
    incident_pages: dict[str, Postmortem],
    *,
    cache: BuildCache | None = None,
) -> None:
    """Add the search worker to the site and hand the pages to be indexed to ``search``.

    The author's pages are indexed from their Markdown (less those with ``search: exclude``);
    the incidents from the catalog (their records kept in the build ``cache``), while MkDocs
    renders the pages.
    """
    worker = f"{ASSETS_SITE_DIR}/{WORKER_ASSET}"
    if not author_file(files, worker):
        files.append(File.generated(config, worker, content=read_asset(WORKER_ASSET)))
    for file in files.documentation_pages():
        if file.generated_by is None:
            body, meta = get_data(file.content_string)
            search_meta = meta.get("search")
            if not (isinstance(search_meta, dict) and search_meta.get("exclude")):
                search.add_page(file.url, str(meta.get("title") or ""), body)
    urls = [(p.id, page_url(path, config.use_directory_urls)) for path, p in incident_pages.items()]
    search.add_incidents(catalog, urls, Path(config.site_dir), cache=cache)
