"""postmortem-kb: turn a folder of postmortem Markdown files into a searchable knowledge base.

The data flows one way: :mod:`generator.parse` reads each file into a
:class:`~generator.models.Postmortem`; :mod:`generator.catalog` gathers them and links them;
rendering, checks and exports read the catalog. Only the MkDocs edge (:mod:`generator.plugin`,
:mod:`generator.config`, :mod:`generator.generated_page`, :mod:`generator.page_headings`,
:mod:`generator.search_wiring`,
:mod:`generator.site_commands`, :mod:`generator.serve`) knows MkDocs, and only
:mod:`generator.cli` (a package) knows click.
"""

__version__ = "0.1.0"
