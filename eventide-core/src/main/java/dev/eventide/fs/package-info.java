/** File system operations, run on the blocking pool as tokio's are (DESIGN §7). */
package dev.eventide.fs;
