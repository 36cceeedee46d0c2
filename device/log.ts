/**
 * The host's debug log: namespaced loggers from the `debug` package (the one serialport already
 * logs through). Silent unless the DEBUG environment variable names them, e.g.
 * `DEBUG=massager:* massager play ...`; they write to stderr.
 *
 *   massager:link       every frame in (<) and out (>), and lines dropped as noise
 *   massager:session    the session's state transitions
 *   massager:reconnect  a lost link, each reconnect attempt and its outcome
 *   massager:transport  transports opening, closing and going away
 */
import createDebug from "debug";

export const linkLog = createDebug("massager:link");
export const sessionLog = createDebug("massager:session");
export const reconnectLog = createDebug("massager:reconnect");
export const transportLog = createDebug("massager:transport");
