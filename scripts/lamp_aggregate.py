"""Score gold JSONL files with the offline parser and print only aggregate LAMP numbers.

For blind sets: no request, gold or parse is printed, only n and the item-,
list-, key- and request-level accuracy (percent) per file, as one JSON line.

    PYTHONPATH=core/src python scripts/lamp_aggregate.py FILE.jsonl [FILE.jsonl ...]
"""

import contextlib
import io
import json
import sys

from autommlab.parsing import parse_request
from autommlab.parsing.evaluate import evaluate, load_gold


def main(paths: list[str]) -> None:
    for path in paths:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            r = evaluate(load_gold(path), parse_request).report
        print(json.dumps({"data": path.split("/")[-1], "n": r.n, "item": round(100 * r.item_level, 2),
                          "list": round(100 * r.list_level, 2), "key": round(100 * r.key_level, 2),
                          "request": round(100 * r.request_level, 2)}))


if __name__ == "__main__":
    main(sys.argv[1:])
