/** Child processes with async standard streams and exit status (DESIGN §7). */
package dev.eventide.process;
