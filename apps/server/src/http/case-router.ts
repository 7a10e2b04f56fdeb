import type { ActiveFrameworks } from '@tln/competence'
import { Router, type NextFunction, type Request, type Response } from 'express'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u

/**
 * Read-only CASE 1.0 REST endpoints over the frameworks in force, so that a badge's alignment
 * `targetUrl` (`/ims/case/v1p0/CFItems/<identifier>`) resolves (1EdTech CASE 1.0 REST binding:
 * `getCFPackage` `GET /ims/case/v1p0/CFPackages/{sourcedId}`, `getCFItem`
 * `GET /ims/case/v1p0/CFItems/{sourcedId}`). Public, as framework data is.
 */
export function caseRouter(options: { frameworks: ActiveFrameworks; publicUrl: string }): Router {
  const baseUri = `${options.publicUrl.replace(/\/+$/u, '')}/ims/case/v1p0`
  const router = Router()

  const find = async (req: Request, res: Response, kind: 'package' | 'item'): Promise<void> => {
    const id = String(req.params.id)
    if (!UUID.test(id)) {
      res.status(400).json({ imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_description: 'sourcedId must be a UUID', imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'sourcedId', imsx_codeMinorFieldValue: 'invalid_uuid' }] } })
      return
    }
    const found = await options.frameworks.casePackageHolding(id, baseUri)
    const body = kind === 'package'
      ? (found !== undefined && found.item === undefined ? found.pkg : undefined)
      : (found?.item !== undefined ? { ...found.item, CFDocumentURI: { title: found.pkg.CFDocument.title, identifier: found.pkg.CFDocument.identifier, uri: found.pkg.CFDocument.uri } } : undefined)
    if (body === undefined) {
      res.status(404).json({ imsx_codeMajor: 'failure', imsx_severity: 'error', imsx_description: `no ${kind === 'package' ? 'CFPackage' : 'CFItem'} ${id}`, imsx_codeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'sourcedId', imsx_codeMinorFieldValue: 'unknownobject' }] } })
      return
    }
    res.set('Cache-Control', 'public, max-age=300').json(body)
  }

  router.get('/ims/case/v1p0/CFPackages/:id', (req: Request, res: Response, next: NextFunction) => void find(req, res, 'package').catch(next))
  router.get('/ims/case/v1p0/CFItems/:id', (req: Request, res: Response, next: NextFunction) => void find(req, res, 'item').catch(next))
  return router
}
