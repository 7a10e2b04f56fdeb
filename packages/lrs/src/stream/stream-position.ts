import { LrsError } from '../errors.ts'

/**
 * A position in the statement stream: the transaction that stored a statement and its `seq`.
 * Positions are totally ordered by `(txid, seq)`. `{ txid: 0, seq: 0 }` is the start.
 */
export interface StreamPosition {
  txid: number
  seq: number
}

export const STREAM_START: StreamPosition = Object.freeze({ txid: 0, seq: 0 })

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function comparePositions(a: StreamPosition, b: StreamPosition): number {
  return a.txid !== b.txid ? a.txid - b.txid : a.seq - b.seq
}

/** An opaque, URL-safe token for a position (the `cursor` of exports). */
export function encodePosition(position: StreamPosition): string {
  return Buffer.from(`1.${position.txid}.${position.seq}`, 'utf8').toString('base64url')
}

/**
 * Reads a token made by `encodePosition`.
 * @throws LrsError `ERR_LRS_BAD_REQUEST` for anything else (untrusted input)
 */
export function decodePosition(token: string, parameter = 'cursor'): StreamPosition {
  const match = /^1\.(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'))
  if (match === null) throw new LrsError('ERR_LRS_BAD_REQUEST', `${parameter} must be a cursor token from an earlier export answer`, parameter)
  return { txid: Number(match[1]), seq: Number(match[2]) }
}
