/** Helpers for the document-resource integration tests: query strings and fixtures. */

let counter = 0

/** A query string where objects (agents) are JSON-encoded, as xAPI clients send them. */
export function qs(params: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)])).toString()
}

/** A fresh teacher Agent, so each test works on documents of its own. */
export function aTeacher(): { objectType: 'Agent'; name: string; mbox: string } {
  counter += 1
  return { objectType: 'Agent', name: `Guru ${counter}`, mbox: `mailto:guru.${counter}.${process.pid}@paud.example` }
}

/** A fresh Activity id. */
export function anActivity(): string {
  counter += 1
  return `https://tln.example/activities/modul/${counter}-${Date.now()}`
}

export const state = (params: Record<string, unknown>) => `/xapi/activities/state?${qs(params)}`
export const activityProfile = (params: Record<string, unknown>) => `/xapi/activities/profile?${qs(params)}`
export const agentProfile = (params: Record<string, unknown>) => `/xapi/agents/profile?${qs(params)}`
