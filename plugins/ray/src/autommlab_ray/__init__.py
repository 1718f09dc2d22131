"""AutoMMLab on Ray: the ``ray`` trial executor (``executor = "ray"``, settings in ``[plugins.ray]``)."""
