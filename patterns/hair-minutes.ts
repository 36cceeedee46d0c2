/**
 * Scalp care for hair wants at least this many minutes a day (the seed article: five minutes,
 * once or twice a day). Its own file so the renderer can read it without the pattern library.
 */
export const HAIR_MINUTES = 5;
