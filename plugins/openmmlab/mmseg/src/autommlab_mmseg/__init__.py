"""AutoMMLab plugin: semantic segmentation with mmsegmentation (entry point ``mmseg``)."""
