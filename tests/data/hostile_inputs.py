"""Hostile text for every form: what attackers, broken keyboards and copy-paste produce.

Each entry is (category, text). Raw byte bodies, wrong content types and the 10 MB body are
tested separately in tests/test_hostile_input.py because they are not strings a field can hold.
"""
from __future__ import annotations

# Shown literally, never evaluated: 7*191 = 1337 would show that a template ran it.
TEMPLATE_PROBE = "{{7*191}}"
TEMPLATE_PROBE_RESULT = "1337"

SCRIPT_INJECTION = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert('x')</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<scr<script>ipt>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<object data=\"data:text/html,<script>alert(1)</script>\">",
    "<embed src=javascript:alert(1)>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{display:none}</style>",
    "<div style=\"background:url(javascript:alert(1))\">",
    "<form action=https://evil.example><button>Verstuur</button></form>",
    "<!--<script>alert(1)//-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "<scrİpt>alert(1)</scrİpt>",
]

ATTRIBUTE_INJECTION = [
    "\" onmouseover=\"alert(1)",
    "' onmouseover='alert(1)",
    "\"><script>alert(1)</script>",
    "'><script>alert(1)</script>",
    "\" autofocus onfocus=\"alert(1)",
    "\"/><img src=x onerror=alert(1)>",
    "` onmouseover=`alert(1)",
    "x\" style=\"position:fixed;top:0;left:0;width:100%;height:100%",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "\" data-x=\"1\" hidden=\"",
    "a=\"b\" c='d'",
]

SQL_FRAGMENTS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    "\" OR \"\"=\"",
    "'; DROP TABLE signal; --",
    "'); DELETE FROM user_account; --",
    "1; SELECT pg_sleep(5)",
    "1' AND SLEEP(5)#",
    "' UNION SELECT email, password_hash FROM user_account --",
    "admin'--",
    "%' OR 1=1 --",
    "\\'; --",
    "1 OR 1=1",
    "' || (SELECT sqlite_version()) || '",
    "Robert'); DROP TABLE Students;--",
    "0x27204f5220313d31",
    "; PRAGMA writable_schema=1; --",
]

TEMPLATE_SYNTAX = [
    TEMPLATE_PROBE,
    "{{7*7}}",
    "{{ config }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ request.environ }}",
    "{% if 1 %}ja{% endif %}",
    "{% raw %}{{ x }}{% endraw %}",
    "{% for i in range(9999999) %}x{% endfor %}",
    "{# commentaar #}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    "{{7*'7'}}",
    "{{ self._TemplateReference__context }}",
    "%(name)s %s %d {0} {name}",
    "{{",
    "}}",
    "{%",
]

BIDI_AND_INVISIBLE = [
    "Kerkstraat \u202egnilkaw\u202c is gevaarlijk",
    "\u202eeen omgekeerde zin",
    "bestand\u202excod.exe",
    "\u2066links\u2069 en \u2067rechts\u2069",
    "\u2068geïsoleerd\u2069",
    "\u202aLTR embedding\u202c",
    "\u202bRTL embedding\u202c",
    "onzicht\u200bbare spatie",
    "zero\u200cwidth non-joiner",
    "woord\u2060joiner",
    "\ufeffbyte order mark aan het begin",
    "midden\ufeffin de tekst",
    "\u200e\u200fLRM en RLM",
    "zachte\u00adafbreking",
    "\u180emongools klinker-scheider",
]

COMBINING_AND_NORMALISATION = [
    "cafe\u0301 op de hoek",  # é as e + combining acute: must be stored as one é (NFC)
    "Ge\u0308ert en Zoe\u0308",
    "n\u0303 a\u030a o\u0308",
    "Z\u0351\u0360\u034ba\u0357\u0350l\u0344g\u0350o\u0334 tekst",
    "e" + "\u0301" * 50,
    "ﬁets (ligatuur fi)",
    "Ａｍｓｔｅｒｄａｍ (volle breedte)",
    "Å (angstrom) en Å (A-ring)",
    "ĳsje en ĲSSELMEER",
    "ÀÉÎÕÜ àéîõü çñß",
]

EMOJI = [
    "Fijne buurt 😊",
    "Familie 👨‍👩‍👧‍👦 woont hier",
    "Regenboog 🏳️‍🌈 vlag",
    "Duim 👍🏽 en 👍🏿",
    "Nederland 🇳🇱 en Marokko 🇲🇦",
    "Technicus 👩🏾‍🔧 kwam langs",
    "Hart ❤️ en ❤",
    "Stelletje 👩‍❤️‍💋‍👨",
    "Keycap 1️⃣ 2️⃣ #️⃣",
    "🐕🐈🚲🚌🏠🌳",
    "😀" * 100,
    "Vlag 🏴󠁧󠁢󠁳󠁣󠁴󠁿 Schotland (tag-tekens)",
]

CONTROL_CHARACTERS = [
    "nul\x00byte",
    "\x00",
    "bel\x07 en backspace\x08",
    "escape \x1b[31mrood\x1b[0m",
    "form\x0cfeed en verticale\x0btab",
    "delete\x7f teken",
    "C1\x85next line en \x9bcsi",
    "regel\u2028scheiding en alinea\u2029scheiding",
    "tab\tin\ttekst",
    "windows\r\nregels\r\n",
    "oude mac\rregels",
    "veel\n\n\n\n\n\nlege regels",
    "   spaties rondom   ",
    "\n\n\n",
    " ",
    "\u00a0\u2003\u3000",
    "\x01\x02\x03\x04\x05\x06",
    "\ud7ff\ue000\uf8ff private use",
    "\U0010fffd laatste codepunt",
    "\ufffd vervangingsteken",
]

NON_LATIN = [
    "مرحبا بالجيران، الشارع مظلم",
    "שלום, הרחוב חשוך",
    "Türkçe: sokak lambası bozuk",
    "Polski: zepsuta latarnia, źle, żółw",
    "Русский: сломан фонарь",
    "中文：路灯坏了",
    "日本語：街灯が壊れている",
    "한국어: 가로등",
    "हिन्दी: सड़क की बत्ती",
    "Tigrinya: ሰላም",
    "Papiamentu: lus di kaya ta kibra",
    "Sranantongo: a lampu no e wroko",
]

LENGTH = [
    "a" * 500,
    "a" * 501,
    "b" * 5000,
    "woord " * 2000,
    "x" * 100_000,
    "é" * 499 + "e\u0301",  # 500 characters after NFC, 501 before
    "😀" * 501,
    "\n".join(["regel"] * 300),
    "İ" * 80,  # 80 characters, but 160 once lower-cased (a dot above comes loose)
]

NUMBERS_AND_DATES = [
    "-1", "0", "99999999999999999999", "1e9", "NaN", "Infinity", "0x10", "1,5", "١٢٣",
    "2027-02-30", "31-12-2026", "0000-00-00", "9999-12-31", "2026-13-01", "gisteren",
    # Python's isdigit() says yes to these, int() says no or makes something huge of them.
    "²", "³¹", "①", "𝟗", "9" * 30, "2147483648", "-2147483649", " 3 ", "3.0", "+4",
]

EMAIL_LIKE = [
    "a@b", "@example.org", "user@", "user@@example.org", "user@example..org",
    "\"<script>\"@example.org", "user@[127.0.0.1]", "user+tag@example.org",
    "ü@ëxample.nl", "a" * 300 + "@example.org", "user@example.org\r\nBcc: x@evil.example",
    "user@example.org, other@example.org",
]

CSV_FORMULAS = [
    "=HYPERLINK(\"https://evil.example\",\"klik\")",
    "=1+1",
    "+31 6 12345678",
    "-2+3",
    "@SUM(A1:A9)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\"=1+1\"",
    ";=1+1;",
    "a;b;c\nd;e;f",
]

PATHS_AND_URLS = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "/p/andere-wijk/coordinator/",
    "https://evil.example/?next=//evil.example",
    "//evil.example",
    "file:///etc/passwd",
    "\\\\server\\share",
    "%00%0d%0a",
    "%2e%2e%2f",
    "?page=-1&page=99999",
]

MISC = [
    "null", "None", "undefined", "true", "[]", "{}", "{\"a\": 1}", "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY y SYSTEM \"file:///etc/passwd\">]><x>&y;</x>",
    "$(reboot)", "`reboot`", "; rm -rf /", "| cat /etc/passwd", "a\\nb", "\\x00", "\\", "'", "\"", "<", ">", "&",
    "&amp;", "&nbsp;", "<<>>", "<>\"'&", "**vet** _schuin_ [link](https://x.example)", "# kop",
]

HOSTILE_INPUTS: list[tuple[str, str]] = [
    (category, text)
    for category, texts in (
        ("script", SCRIPT_INJECTION),
        ("attribute", ATTRIBUTE_INJECTION),
        ("sql", SQL_FRAGMENTS),
        ("template", TEMPLATE_SYNTAX),
        ("bidi", BIDI_AND_INVISIBLE),
        ("combining", COMBINING_AND_NORMALISATION),
        ("emoji", EMOJI),
        ("control", CONTROL_CHARACTERS),
        ("script-mix", NON_LATIN),
        ("length", LENGTH),
        ("number", NUMBERS_AND_DATES),
        ("email", EMAIL_LIKE),
        ("csv", CSV_FORMULAS),
        ("path", PATHS_AND_URLS),
        ("misc", MISC),
    )
    for text in texts
]

# Raw form bodies that are not valid UTF-8 or not valid form encoding at all.
MALFORMED_BODIES: list[bytes] = [
    b"text=%FF%FE%FD",
    b"text=%C3%28",
    b"text=%ED%A0%80",  # an encoded UTF-16 surrogate
    b"text=%F4%90%80%80",  # beyond U+10FFFF
    b"text=\xff\xfe\xfd",
    b"text=caf\xe9",  # Latin-1, not UTF-8
    b"text=%E2%82",  # cut-off sequence
    b"text",
    b"=&=&&===",
    b"text=a&text=b&text=c",
    b"%%%%%",
    b"text=" + b"%00" * 10,
]

WRONG_CONTENT_TYPES: list[tuple[str, bytes]] = [
    ("application/json", b"{\"text\": \"<script>alert(1)</script>\"}"),
    ("text/plain", b"text=hallo"),
    ("application/xml", b"<text>hallo</text>"),
    ("multipart/form-data", b"text=hallo"),  # no boundary
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhallo"),
    ("application/x-www-form-urlencoded; charset=latin-1", b"text=caf\xe9"),
    ("application/octet-stream", b"\x00\x01\x02\x03"),
]
