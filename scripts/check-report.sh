#!/usr/bin/env bash
# Runs the console sample on a fresh database in a temporary directory, opens its HTML report in headless
# Chromium and checks that every chart is drawn: the DOM Chromium rendered holds the expected number of <svg>
# charts, each with drawn data elements (polylines, circles, bars), and the full-page screenshot is a real image.
# Usage: scripts/check-report.sh [--keep]   (--keep leaves the temporary directory for a look at the screenshot)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
keep="${1:-}"
work="$(mktemp -d -t selflearning-report-XXXXXX)"
profile="$(mktemp -d -t selflearning-chromium-XXXXXX)"
cleanup() {
  rm -rf "$profile"
  if [[ "$keep" != "--keep" ]]; then rm -rf "$work"; fi
}
trap cleanup EXIT

chromium=/usr/bin/chromium
if [[ ! -x "$chromium" ]]; then
  echo "Chromium is missing; installing it with apt-get." >&2
  sudo_cmd=""; [[ "$(id -u)" -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

echo "Running the sample into $work ..." >&2
(cd "$work" && dotnet run --project "$repo/samples/SelfLearning.Samples.Console" -- --db "$work/sample.db" --report "$work/report" >"$work/stdout.txt" 2>"$work/stderr.txt")
report="$(sed -n 's/^Report: //p' "$work/stdout.txt" | tail -n 1)"
[[ -f "$report" ]] || { echo "FAIL: the sample printed no report path, or it does not exist: '$report'" >&2; cat "$work/stdout.txt" "$work/stderr.txt" >&2; exit 1; }
# The expected number of charts: a before and an after diagram per promotion, plus the weekly and the versions chart.
promotions="$(grep -cE 'becomes the first champion|PROMOTED' "$work/stdout.txt" || true)"
expected=$((2 * promotions + 2))

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --window-size=1280,4000)
"$chromium" "${flags[@]}" --dump-dom "file://$report" >"$work/dom.html" 2>"$work/chromium-dom.log"
"$chromium" "${flags[@]}" --screenshot="$work/report.png" "file://$report" >/dev/null 2>"$work/chromium-shot.log"

python3 - "$work/dom.html" "$work/report.png" "$expected" <<'PY'
import re, sys
dom_path, png_path, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
dom = open(dom_path, encoding="utf-8").read()
charts = re.findall(r"<svg\b.*?</svg>", dom, flags=re.S)
problems = []
if len(charts) != expected:
    problems.append(f"expected {expected} charts, the rendered page has {len(charts)}")
for i, svg in enumerate(charts, 1):
    title = re.search(r"<text[^>]*>([^<]*)</text>", svg)
    drawn = len(re.findall(r'<(?:polyline|circle|rect)\b[^>]*class="data"', svg))
    axes = len(re.findall(r"<line\b", svg))
    print(f"chart {i}: {title.group(1) if title else '?'}: {drawn} data elements, {axes} axis/grid lines")
    if drawn == 0 or axes < 2:
        problems.append(f"chart {i} draws nothing ({drawn} data elements, {axes} lines)")
png = open(png_path, "rb").read()
if png[:8] != b"\x89PNG\r\n\x1a\n":
    problems.append("the screenshot is not a PNG")
width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
print(f"screenshot: {width}x{height}, {len(png) // 1024} KB")
if len(png) < 50 * 1024:
    problems.append(f"the screenshot is only {len(png)} bytes: the page looks empty")
if problems:
    print("FAIL: " + "; ".join(problems), file=sys.stderr)
    sys.exit(1)
print(f"OK: {len(charts)} charts drawn")
PY
echo "Report: $report" >&2
echo "Screenshot: $work/report.png" >&2
