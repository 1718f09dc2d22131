"""AutoMMLab plugin: keypoint (top-down pose) estimation with mmpose (entry point ``mmpose``)."""
