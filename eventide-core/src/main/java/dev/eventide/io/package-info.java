/** Async byte streams: {@code AsyncRead}, {@code AsyncWrite}, buffering and copying (DESIGN §7). */
package dev.eventide.io;
