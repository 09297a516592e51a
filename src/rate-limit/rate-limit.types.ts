/** The outcome of one counted request for one IP on one endpoint. */
export interface HitResult {
  count: number;
  /** Until the window resets. */
  resetMs: number;
  /** > 0 while the IP is blocked on this endpoint. */
  blockedMs: number;
  /** This very hit started the block. */
  newBlock: boolean;
}
