"""AutoMMLab local web UI (``autommlab serve``): see ``app.create_app``."""
