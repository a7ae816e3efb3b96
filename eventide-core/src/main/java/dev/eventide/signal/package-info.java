/** Operating-system signals (SIGINT, SIGTERM) as futures (DESIGN §7). */
package dev.eventide.signal;
