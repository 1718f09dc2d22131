"""AutoMMLab plugin: object detection with mmdet (entry point ``mmdet``)."""
