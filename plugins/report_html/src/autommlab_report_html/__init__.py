"""AutoMMLab report.html renderer (see ``render.write_html``)."""
