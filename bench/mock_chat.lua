-- wrk script for bench/mock_throughput.sh: POSTs one small chat completion per request.
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
wrk.body = '{"model":"gpt-4o-mini","max_tokens":16,"messages":[' ..
           '{"role":"system","content":"You are terse."},' ..
           '{"role":"user","content":"Say hello to the benchmark."}]}'
