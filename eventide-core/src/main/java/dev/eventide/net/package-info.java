/** Non-blocking sockets driven by the reactor: TCP, UDP and Unix-domain sockets (DESIGN §7). */
package dev.eventide.net;
