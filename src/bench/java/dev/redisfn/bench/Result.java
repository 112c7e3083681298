package dev.redisfn.bench;

/** One load run: throughput, latency percentiles in microseconds, failures, requests completed. */
record Result(double rps, double p50us, double p99us, long non2xx, long requests) {
}
