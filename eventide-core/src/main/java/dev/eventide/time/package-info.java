/** Timers: {@code Time.sleep}, {@code Time.timeout}, intervals, and a virtual clock for tests (DESIGN §6). */
package dev.eventide.time;
