/**
 * Benchmarks of echo-fixture (not published, never run by the default build): JMH benchmarks
 * of server start-up ({@link dev.echofixture.benchmarks.StartupBenchmark}) and of client round
 * trips ({@link dev.echofixture.benchmarks.ClientRoundTripBenchmark}), and the first start in a
 * fresh JVM ({@link dev.echofixture.benchmarks.FirstStartMain}). See {@code benchmarks/README.md}.
 */
package dev.echofixture.benchmarks;
