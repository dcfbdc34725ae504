#!/usr/bin/env bash
# A JFR recording of a Fashion-MNIST training run (784-256-128-10, ReLU, Adam 1e-3, batch 128, 10 epochs)
# and its summary: where the CPU time goes (hot methods), allocation, GC.
#   profiles/jfr-fashion-mnist.sh         needs Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist)
# writes profiles/jfr/fashion-mnist.jfr (not committed: large) and profiles/jfr/fashion-mnist-summary.txt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/profiles/jfr"
mkdir -p "$out"
"$root/lanewise" build
# A cold run as recorded before: no warm-up, no AOT cache (whose recording run would also mix with the JFR one).
LANEWISE_AOT=off JAVA_TOOL_OPTIONS="-XX:StartFlightRecording=filename=$out/fashion-mnist.jfr,settings=profile" \
  "$root/lanewise" train --data fashion-mnist --layers 256,128 --batch 128 --epochs 10 --no-progress --warm-up 0 \
  --model "$out/fashion-mnist.safetensors" --chart "$out/fashion-mnist.png" | tee "$out/fashion-mnist-run.txt"
jfr=""  # 'jfr view' needs JDK 21+: take the first JDK that has it
for home in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* /opt/java/*; do
  if [ -x "$home/bin/jfr" ] && "$home/bin/jfr" help view >/dev/null 2>&1; then jfr="$home/bin/jfr"; break; fi
done
[ -n "$jfr" ] || { echo "no JDK with 'jfr view' found (JDK 21+)" >&2; exit 1; }
{
  echo "# JFR summary of: lanewise train --data fashion-mnist --layers 256,128 --batch 128 --epochs 10"
  "$jfr" summary "$out/fashion-mnist.jfr"
  "$jfr" view --width 160 hot-methods "$out/fashion-mnist.jfr"
  "$jfr" view --width 160 allocation-by-site "$out/fashion-mnist.jfr"
  "$jfr" view --width 160 gc "$out/fashion-mnist.jfr"
} > "$out/fashion-mnist-summary.txt"
echo "summary in profiles/jfr/fashion-mnist-summary.txt"
