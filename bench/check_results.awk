# Checks the output and errors files of a `sluice run` of a bench_generate file (bench/lib.sh):
# every custom_id req-<i> for i in [0, n) exactly once across both files, nothing else, and each
# successful answer's content holds `mock:` and its own line's unique text
# "unique-<i as 7 digits>-<salt>". Prints the counts and PASS/FAIL; exit 0 on PASS, 1 on FAIL.
# Usage: awk -v n=N -v salt=SALT -f bench/check_results.awk OUTPUT ERRORS
function id_of(line) {
  if (!match(line, /"custom_id":"req-[0-9]+"/)) return -1;
  return substr(line, RSTART + 17, RLENGTH - 18) + 0;
}
{
  id = id_of($0);
  if (id < 0 || id >= n) { strangers++; next }
  seen[id]++;
  if (FILENAME == ARGV[1]) {
    ok++;
    if (!match($0, /"content":"[^"]*"/)) { mixed++; next }
    content = substr($0, RSTART, RLENGTH);
    want = sprintf("unique-%07d-%s", id, salt);
    if (index(content, "mock:") == 0 || index(content, want) == 0) mixed++;
  } else {
    failed++;
  }
}
END {
  for (i = 0; i < n; i++) {
    if (!(i in seen)) missing++;
    else if (seen[i] > 1) twice++;
  }
  printf "results: %d succeeded, %d failed; missing %d, more than once %d, unknown %d, content not its own %d\n",
    ok, failed, missing, twice, strangers, mixed;
  pass = missing == 0 && twice == 0 && strangers == 0 && mixed == 0 && ok + failed == n;
  print pass ? "PASS" : "FAIL"; exit pass ? 0 : 1
}
