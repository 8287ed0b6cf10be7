/**
 * Realistic networking code tested with echo-fixture.
 */
package dev.echofixture.samples;
