# waits.awk: how long each request of a scenario waited, from the mock's request log.
# Usage: awk -v tpm=T -v rpm=R -f waits.awk FILE.costs requests.tsv
#   FILE.costs: "label charge" per request in input order (bench_generate_sizes);
#   requests.tsv: GET /mock/requests of `sluice mock --record` (times in ms since the first
#   request reached the mock).
# A request becomes eligible when the provider's budgets, spent in input order at exactly the
# provider's rates from the first request on, would have covered it:
#   eligible(i) = max(0, (C(i) - tpm) / (tpm per ms), (i - rpm) / (rpm per ms))
# with C(i) the charges of requests 1..i. Under that ideal schedule the batch takes the
# theoretical minimum. Prints, per request answered 200, "wait lag" in ms: wait = when its
# (first 200) answer was due - eligible; lag = when it first reached the mock - eligible.
# Requests never answered 200 are left out (the caller compares the count).
FNR == NR { label[NR] = $1; charge[NR] = $2; count = NR; next }
FNR == 1 { next }
{
  if (!($5 in first) || $1 + 0 < first[$5]) first[$5] = $1 + 0
  if ($3 == 200 && !($5 in done)) done[$5] = $2 + 0
}
END {
  spent = 0
  for (i = 1; i <= count; i++) {
    spent += charge[i]
    eligible = 0
    if (tpm > 0 && (spent - tpm) / (tpm / 60000) > eligible) eligible = (spent - tpm) / (tpm / 60000)
    if (rpm > 0 && (i - rpm) / (rpm / 60000) > eligible) eligible = (i - rpm) / (rpm / 60000)
    if (label[i] in done) printf "%.3f %.3f\n", done[label[i]] - eligible, first[label[i]] - eligible
  }
}
