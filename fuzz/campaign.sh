#!/usr/bin/env bash
# campaign.sh: runs one libFuzzer campaign per target (called by fuzz.mk).
# Usage: campaign.sh <build-dir> <seconds> <target>...
# FUZZ_FLAGS (environment): extra libFuzzer flags, e.g. -detect_leaks=0.
# New inputs that add coverage are merged into fuzz/corpus/<target>/,
# crashes are written to fuzz/crashes/<target>/ with a reproduction line;
# the per-target figures (execs/s, cov, ft, CPU seconds) are printed and
# written to <build-dir>/summary.md.
set -u
bdir=$1; secs=$2; shift 2
mkdir -p "$bdir/logs"
# -detect_leaks=0 only stops per-input checks; the exit-time check is ASan's.
case " ${FUZZ_FLAGS:-} " in *" -detect_leaks=0 "*) export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0";; esac
summary="$bdir/summary.md"
printf '| target | runs | execs/s | cov | ft | corpus | CPU s | crashes |\n|---|---:|---:|---:|---:|---:|---:|---:|\n' > "$summary"
total_crashes=0
for t in "$@"; do
  bin="$bdir/$t"
  [ -x "$bin" ] || { echo "fuzz: $bin missing"; continue; }
  corpus="fuzz/corpus/$t"; crashes="fuzz/crashes/$t"; dict="fuzz/dict/$t.dict"
  mkdir -p "$corpus" "$crashes"
  new=$(mktemp -d "$bdir/new-$t.XXXXXX")
  before=$(ls "$crashes" | sort)
  log="$bdir/logs/$t.log"
  dictarg=(); [ -s "$dict" ] && dictarg=(-dict="$dict")
  echo "fuzz: $t for ${secs}s ..."
  /usr/bin/time -f '%U %S' -o "$bdir/logs/$t.time" \
    timeout -k 10 $((secs + 120)) "$bin" -max_total_time="$secs" -print_final_stats=1 \
      -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/" "${dictarg[@]}" ${FUZZ_FLAGS:-} \
      "$new" "$corpus" > "$log" 2>&1
  # keep only the new inputs that add coverage to the stored corpus
  "$bin" -merge=1 "${dictarg[@]}" "$corpus" "$new" > "$bdir/logs/$t.merge.log" 2>&1
  rm -rf "$new"
  runs=$(awk -F: '/stat::number_of_executed_units/ {gsub(/ /,"",$NF); print $NF}' "$log" | tail -1)
  eps=$(awk -F: '/stat::average_exec_per_sec/ {gsub(/ /,"",$NF); print $NF}' "$log" | tail -1)
  cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  cpu=$(tail -1 "$bdir/logs/$t.time" 2>/dev/null | awk '{printf "%.1f", $1 + $2}')
  ncorp=$(ls "$corpus" | wc -l)
  after=$(ls "$crashes" | sort)
  found=$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after") | grep -v '^$' || true)
  n=0
  for c in $found; do
    n=$((n + 1))
    echo "fuzz: CRASH $t: $crashes/$c"
    echo "      reproduce: $bin $crashes/$c    (gcc replay: make fuzz-regress)"
    grep -m1 -E 'ERROR: AddressSanitizer|runtime error|ERROR: libFuzzer|ERROR: LeakSanitizer|deadly signal' "$log" | sed 's/^/      /'
  done
  total_crashes=$((total_crashes + n))
  printf 'fuzz: %-26s runs %-9s execs/s %-6s cov %-5s ft %-6s corpus %-5s cpu %ss crashes %s\n' \
    "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "$ncorp" "${cpu:-?}" "$n"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" \
    "${ft:-?}" "$ncorp" "${cpu:-?}" "$n" >> "$summary"
done
echo "fuzz: summary in $summary; $total_crashes new crash(es)"
[ "$total_crashes" = 0 ]
