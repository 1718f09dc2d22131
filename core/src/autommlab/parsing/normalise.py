"""Request text made regular before parsing: one line of plain sentences, whatever channel it came through.

``normalise(text)`` turns an e-mail, chat log, bulleted spec or dictated
paragraph into sentences (quoted earlier messages, headers, timestamps and
bullets go; each line ends a sentence), makes punctuation plain ASCII, reads
">="/"<=" as words, drops dictation fillers, joins letters said one by one
("r c n n"), reads decimal commas ("0,93") and ordinals ("4th"), and turns
numbered list markers into commas.
"""

from __future__ import annotations

import json
import re

_UNICODE = {"\u2013": " - ", "\u2014": " - ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
            "\u2265": " at least ", "\u2264": " at most ", "\u00a0": " ", "\u2026": "..."}


_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.M)
_HEADER = re.compile(r"^[ \t]*(?:(?:subject|re|fwd?|aw|title|from|to|cc|sent|date)[ \t]*:[ \t]*)+", re.I | re.M)
_CHAT_STAMP = re.compile(r"^[ \t]*\[?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\]?[ \t]*(?:[\w.-]{1,20}[ \t]*:[ \t]*)?",
                         re.I | re.M)
_BULLET = re.compile(r"^[ \t]*(?:[-*+\u2022\u25aa\u25cf]|\d{1,2}[.)])[ \t]+", re.M)


def split_quoted(text: str) -> tuple[str, str]:
    """(the reply, the quoted earlier messages) of an e-mail; the quoted part is "" when the reply says too little
    on its own ("> is 50 ms ok?" / "No, 35 ms max." keeps both together)."""
    unquoted = _QUOTED_LINE.sub("", text)
    if "\n" not in text or unquoted == text or len(unquoted.split()) < 12:
        return text, ""
    quoted = "\n".join(re.sub(r"^[ \t>]+", "", ln) for ln in _QUOTED_LINE.findall(text))
    quoted = re.sub(r"^.*\b(?:wrote|quoting|from|sent)\b.*:?[ \t]*$", "", quoted, flags=re.I | re.M)
    return unquoted, quoted


# markdown and meeting-note furniture: headings, bold, check boxes; struck-out text is withdrawn
_MARKDOWN = ((re.compile(r"~~[^~\n]*~~"), ""), (re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M), ""),
             (re.compile(r"\*\*([^*\n]+)\*\*"), r"\1"), (re.compile(r"^([ \t]*[-*])?[ \t]*\[[ xX]\][ \t]*", re.M), ""))
# "Priya: detect ...", "- Li: collect more images": a speaker or an assignee before the colon
_SPEAKER = re.compile(r"^([ \t]*(?:[-*][ \t]*)?)(?:@?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?|@[\w.]+)[ \t]*:[ \t]+", re.M)


def _lines_to_sentences(text: str) -> str:
    """An e-mail, chat log, meeting notes or bulleted spec as sentences: quoted earlier messages (see
    ``split_quoted``), header labels, chat timestamps and speakers, markdown, action items and bullets go; each
    line ends a sentence."""
    if "\n" not in text:
        return _CHAT_STAMP.sub("", text) if re.match(r"\s*\[?\d{1,2}:\d{2}", text) else text
    text = split_quoted(text)[0]
    for rx, repl in _MARKDOWN:
        text = rx.sub(repl, text)
    if len(_SPEAKER.findall(text)) >= 2:
        text = _SPEAKER.sub(r"\1", text)
    text = re.sub(r"(?<![\w.])@[\w.]+\s*,?", "", text)  # "@Olu aircraft we don't need": a mention of a colleague
    text = _HEADER.sub("", text)
    text = _CHAT_STAMP.sub("", text)
    text = re.sub(r"^[ \t]*>[ \t]*", "", text, flags=re.M)
    out = ""
    in_bullets = False
    for raw in text.split("\n"):
        bullet = bool(_BULLET.match(raw))
        ln = _BULLET.sub("", raw).strip()
        if not ln:
            in_bullets = False
            continue
        item_like = len(ln.split()) <= 5 and ":" not in ln and not re.search(r"\d", ln)
        if bullet and in_bullets and item_like and not re.search(r"[.!?;:]$", out):
            out += ","  # "### Classes / 1. crash dialog / 2. login screen": the bullets are one list
        elif bullet and item_like and out and not re.search(r"[.!?;:,]$", out) and len(out.split(".")[-1].split()) <= 4:
            out += ":"  # a short heading line before the bullets introduces them
        elif out and not re.search(r"[.!?;:,]$", out):
            out += "."
        out += (" " if out else "") + ln
        in_bullets = bullet and item_like
    return out


_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
             9: "ninth"}
_FILLER_WORDS = re.compile(r"(?:,\s*)?\b(?:um+|uh+|erm|uhm|hmm+)\b,?", re.I)
# letters dictated one by one: "faster r c n n", "mean i o u", "a p of"
_SPELLED = re.compile(r"\b(?:[a-z]\s){1,4}[a-z]\b", re.I)
_SPELLED_WORDS = {"rcnn", "iou", "miou", "ap", "map", "fps", "gpu", "cpu", "onnx", "trt", "ssd", "pck", "ms", "yolo", "ort",
                  "cnn", "vgg", "fcn", "hrnet"}


def _dictation(text: str) -> str:
    """Dictated text: fillers ("um", "uh") dropped, letters said one by one joined when they spell a known term."""
    text = _FILLER_WORDS.sub(" ", text)
    return _SPELLED.sub(lambda m: joined if (joined := m.group(0).replace(" ", "")).lower() in _SPELLED_WORDS
                        else m.group(0), text)


# texting and lab shorthand: task abbreviations, "imgs", "4" for "for", "n" for "and", arrows before a target
_SHORTHAND = ((re.compile(r"\b(?:kpts?|kps)\b", re.I), "keypoints"),
              (re.compile(r"\bsem\.?\s+seg\b", re.I), "semantic segmentation"),
              (re.compile(r"\bseg\b(?!-)", re.I), "segmentation"), (re.compile(r"\bdet\b(?!-)", re.I), "detection"),
              (re.compile(r"\bcls\b(?!-)", re.I), "classification"), (re.compile(r"\bimgs\b", re.I), "images"),
              (re.compile(r"\s*\b(?:asap|pls|plz|thx|lol)\b", re.I), ""),
              (re.compile(r"\b(pose|keypoints?)\s+est\b\.?", re.I), r"\1 estimation"),
              (re.compile(r"\bpics\b", re.I), "pictures"),
              (re.compile(r"\btop[-_ ]?([15])[-_ ]?acc(?:uracy)?\b", re.I), r"top-\1 accuracy"),
              (re.compile(r"\b(pixel[-_ ])?acc\b", re.I), r"\1accuracy"), (re.compile(r"\bvids\b", re.I), "videos"),
              (re.compile(r"\b(model|net|network|detector|classifier|segmenter|app|something|me|us|it|them|this|that|"
                          r"estimation|keypoints|detection|segmentation|classification|needed|need)\s4\s"
                          r"(?=(?:the |my |our |a |an )?[a-z]{3,})(?!(?:million|thousand|billion|sec|min|hour|fps|frames)\w*)",
                          re.I), r"\1 for "),
              (re.compile(r"(?<=[a-z] )n(?= [a-z]{3,})"), "and"),
              (re.compile(r"\s*(?:\u2192|\u21d2)\s*"), ": "))


_UNIT_KEY = re.compile(r"^(?P<name>.*?)[\s_]+(?P<unit>ms|fps|s|sec|min|gflops|mflops|tflops)$", re.I)
_KEY_VALUE = re.compile(r"(?<![\w=<>!])([A-Za-z][\w]*)\s*=\s*([^;=\n]+?)\s*(?=;|$)")


def _pair(key: str, value: object) -> str:
    """One spec field as a sentence: "max_latency_ms", 60 -> "max latency: 60 ms"."""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    value = str(value).strip()
    unit = ""
    m = _UNIT_KEY.match(key)
    if m and re.fullmatch(r"[\d.]+", value):
        key, unit = m.group("name"), " " + m.group("unit")
    return f"{key.replace('_', ' ')}: {value}{unit}."


def _structured(text: str) -> str:
    """A JSON object or "key=value ; key=value" spec pasted into the request, as one sentence per field."""
    def from_json(m: re.Match[str]) -> str:
        try:
            obj = json.loads(m.group(0))
        except ValueError:
            return m.group(0)
        if not isinstance(obj, dict):
            return m.group(0)
        return " " + " ".join(_pair(str(k), v) for k, v in obj.items()) + " "
    text = re.sub(r"\{[^{}]*\}", from_json, text)
    if len(_KEY_VALUE.findall(text)) >= 2:
        text = _KEY_VALUE.sub(lambda m: _pair(m.group(1), m.group(2))[:-1], text)
        text = re.sub(r"\s*;\s*", ". ", text)
    return text


def _shorthand(text: str) -> str:
    for rx, repl in _SHORTHAND:
        text = rx.sub(repl, text)
    return text


def normalise(text: str) -> str:
    """Plain ASCII punctuation, ">="/"<=" as words, abbreviation dots removed, single spaces, lines as sentences."""
    text = _lines_to_sentences(text)
    for a, b in _UNICODE.items():
        text = text.replace(a, b)
    text = re.sub(r">=", " at least ", text)
    # abbreviations whose dot would end a sentence
    text = re.sub(r"\b(vs|approx|incl|resp|esp|no)\.(?=\s)", r"\1", text, flags=re.I)
    text = re.sub(r"\s//\s", " | ", text)  # "kpt est. // trotters // AP 0.7": slashes as a spec's separators
    text = re.sub(r"\bw/o\b", "without", text, flags=re.I)
    text = re.sub(r"\bw/(?=\s)", "with", text, flags=re.I)
    text = _dictation(text)
    text = _shorthand(_structured(text))
    # ordinals are never quantities: "a 4th class" -> "a fourth class"
    text = re.sub(r"\b([1-9])(?:st|nd|rd|th)\b", lambda m: _ORDINALS[int(m.group(1))], text)
    # decimal commas ("0,93", "92,5%", "5,5M"); thousands ("12,000") keep theirs
    text = re.sub(r"(?<![\d,.])(0),(\d{1,3})(?!\d)(?!,\d)|(?<![\d,.])(\d{1,3}),(\d{1,2})(?![\d,])(?=\s*(?:%|percent|[A-Za-z]))",
                  lambda m: f"{m.group(1) or m.group(3)}.{m.group(2) or m.group(4)}", text)
    # digit groups: "2 000 000", "45.000.000", and one group before a count noun ("700.000 parameters")
    text = re.sub(r"(?<![\d.,])(\d{1,3})((?:[ .]\d{3}){2,})(?![\d.]\d)",
                  lambda m: m.group(1) + re.sub(r"[ .]", "", m.group(2)), text)
    text = re.sub(r"(?<![\d.,])(\d{1,3})[ .](\d{3})(?=\s*(?:parameters?|params|weights|flops)\b)", r"\1\2", text,
                  flags=re.I)
    # "3 millions of parameters", "1 billion of FLOPs"
    text = re.sub(r"\b(thousand|million|billion)s?\s+of\s+(?=(?:parameters?|params|weights|flops)\b)", r"\1 ", text,
                  flags=re.I)
    text = re.sub(r"\bmili\s*(seconds?|secs?)\b", r"milli\1", text, flags=re.I)
    text = re.sub(r"\band\s+half\b(?!\s+(?:a|an|the)\b)", "and a half", text, flags=re.I)  # "two and half million"
    text = re.sub(r"\bquarter\s+of\s+(second|minute|hour)\b", r"quarter of a \1", text, flags=re.I)
    text = re.sub(r"\bframes?\s+in\s+(?:the|a|one)\s+second\b", "frames per second", text, flags=re.I)
    # "FLOPs not over 0.3 giga": the magnitude word closes the FLOPs unit named before it
    text = re.sub(r"(\bflops\b[^.;]{0,30}?\d(?:[.,]\d+)?)\s*giga\b(?!\s*-?flops)", r"\1 GFLOPs", text, flags=re.I)
    # units glued to the word after them: "3Mparams", "800Kparams"
    text = re.sub(r"(\d)\s*([KMB])(params|parameters)\b", r"\1\2 \3", text)
    # non-native "we need keypoint the giant panda": the noun used as a verb
    text = re.sub(r"\b(need|want|make|do)\s+keypoints?\s+(?=the\s)", r"\1 keypoints of ", text, flags=re.I)
    text = re.sub(r"\be\.g\.,?", "for example", text, flags=re.I)
    text = re.sub(r"\bi\.e\.,?", "that is", text, flags=re.I)
    text = re.sub(r"<=", " at most ", text)
    text = re.sub(r"\bsub-(?=\d)", "under ", text, flags=re.I)  # "sub-20ms"
    text = re.sub(r"(?<![\w.])([A-Z])\.\s+(?=[a-z]{3,})", r"\1 ", text)  # "E. coli": an initial, not a sentence end
    text = _unnumber_lists(text)
    return re.sub(r"[ \t]+", " ", text).strip()


_LIST_MARK = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=:))\(?(\d|[a-h])\)\s+(?=[A-Za-z])")


def _unnumber_lists(text: str) -> str:
    """ "1) cats 2) dogs", "(a) cats (b) dogs": list markers become commas when the list starts at 1 or a."""
    marks = [m.group(1).lower() for m in _LIST_MARK.finditer(text)]
    if len(marks) >= 2 and marks[:2] in (["1", "2"], ["a", "b"]):
        return _LIST_MARK.sub(", ", text)
    return text
