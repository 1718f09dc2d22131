"""``autommlab predict RUN_DIR IMAGE [--out drawn.png]``: run a deployed bundle on one image, print JSON."""

from __future__ import annotations

import json
import sys

import click


@click.command("predict")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
@click.argument("image", type=click.Path(dir_okay=False))
@click.option("--out", "out", type=click.Path(dir_okay=False), default=None, help="write the drawn result here")
@click.option("--backend", default=None, help="which bundle under RUN_DIR/deploy/ (when there are several)")
@click.option("--device", default=None, help="cpu or cuda (default: the device it was deployed for)")
@click.option("--score-thr", type=float, default=0.3, show_default=True, help="detection score threshold")
@click.option("--bbox", default=None, help="keypoint task: person box x,y,w,h (default: the whole image)")
@click.option("--mask-out", type=click.Path(dir_okay=False), default=None,
              help="segmentation: write the label mask (PNG, pixel = class index)")
def predict_command(run_dir, image, out, backend, device, score_thr, bbox, mask_out):
    """Run the deployed model in RUN_DIR (a run directory or a bundle) on IMAGE and print the result as JSON."""
    from autommlab.errors import AutoMMLabError, UsageError

    from .predict import Predictor, find_bundle, read_image

    try:
        box = None
        if bbox:
            try:
                box = [float(v) for v in bbox.split(",")]
                assert len(box) == 4
            except (ValueError, AssertionError):
                raise UsageError(f"--bbox must be x,y,w,h (four numbers), got {bbox!r}") from None
        predictor = Predictor(find_bundle(run_dir, backend), device=device)
        img = read_image(image)
        result, mask = predictor.predict(img, bbox_xywh=box, score_thr=score_thr)
        result["image"] = str(image)
        if out:
            from .draw import draw, save

            result["drawn"] = str(save(draw(img, result, mask, predictor.metainfo), out))
        if mask_out and mask is not None:
            from .draw import save

            result["mask"] = str(save(mask.astype("uint8"), mask_out))
    except AutoMMLabError as e:
        click.echo(f"Error: {e}", err=True)
        sys.exit(e.exit_code)
    click.echo(json.dumps(result, indent=2))
