import passport from 'passport'
import type { Request } from 'express'
import type { AuthenticateOptions } from 'passport'
import { validateLaunch, type LaunchOptions } from '../launch/validate-launch.ts'
import type { LtiLaunch } from '../launch/lti-launch.ts'

export type LtiVerifyDone = (error: unknown, user?: Express.User | false, info?: unknown) => void
/** Turns a validated launch into the app's user (match or create by issuer + sub, map roles). */
export type LtiVerify = (launch: LtiLaunch, done: LtiVerifyDone) => void

/**
 * Options the app passes per request (`passport.authenticate('lti', options)`): set
 * `platformStorageVerified` only after checking this request's platform-storage proof
 * (`LaunchBinding.platformStorageVerified`).
 */
export interface LtiAuthenticateOptions extends AuthenticateOptions {
  readonly platformStorageVerified?: boolean
}

/**
 * Passport strategy for the LTI redirect URI (`POST /lti/launch`): runs the full launch validation
 * (Security Framework 1.0 §5.1.3) on the form body, then hands the `LtiLaunch` to `verify`. A
 * failed check goes to `this.error(LtiError)`, so the app's error handler maps its `code` to a
 * status and a plain-language page; there is no option that skips a check. The browser binding
 * (`checkBrowserBinding`) reads the request's `Cookie` header.
 * Needs a body parser for `application/x-www-form-urlencoded` before it.
 */
export class LtiStrategy extends passport.Strategy {
  override name = 'lti'
  // Not `#private`: passport calls authenticate on `Object.create(strategy)`, which has no private slots.
  private readonly options: LaunchOptions
  private readonly verify: LtiVerify

  constructor(options: LaunchOptions, verify: LtiVerify) {
    super()
    this.options = options
    this.verify = verify
  }

  override authenticate(req: Request, options?: LtiAuthenticateOptions): void {
    const binding = { cookieHeader: req.headers?.cookie, platformStorageVerified: options?.platformStorageVerified === true }
    validateLaunch(req.body as Record<string, unknown> | undefined, this.options, binding).then(
      (launch) => {
        this.verify(launch, (error, user, info) => {
          if (error) this.error(error)
          else if (!user) this.fail(info as string | undefined)
          else this.success(user, info as object | undefined)
        })
      },
      (error: unknown) => this.error(error),
    )
  }
}
