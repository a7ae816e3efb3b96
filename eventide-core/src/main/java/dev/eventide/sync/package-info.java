/** Channels, async locks, semaphores and combinators, all poll-based futures (DESIGN §8). */
package dev.eventide.sync;
