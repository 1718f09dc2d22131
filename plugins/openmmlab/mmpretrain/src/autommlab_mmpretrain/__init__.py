"""AutoMMLab plugin: image classification with mmpretrain (entry point ``mmpretrain``)."""
