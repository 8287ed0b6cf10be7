/**
 * JMH benchmarks of echo-fixture.
 */
package dev.echofixture.benchmarks;
