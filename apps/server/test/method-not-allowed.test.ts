import express, { type Express } from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { allowedMethods, listRoutes, methodNotAllowed } from '../src/http/method-not-allowed.ts'

/** An app shaped like the server's: routes on the app, routers mounted with and without a prefix, a parameter in a mount path, nested routers, `.all()`. */
function anApp(): Express {
  const app = express()
  const ok = (_req: unknown, res: express.Response) => { res.send('ok') }
  app.get('/healthz', ok)
  const tool = express.Router()
  tool.get('/login', ok)
  tool.post('/login', ok)
  tool.post('/launch', ok)
  tool.get('/static/:file', (_req, _res, next) => { next() }) // knows no file: passes every request on
  const groups = express.Router({ mergeParams: true })
  groups.get('/', ok)
  groups.put('/members/:person', ok)
  tool.use('/groups/:group', groups)
  const unprefixed = express.Router()
  unprefixed.get('/tasks/:id', ok)
  unprefixed.post('/tasks/uploads', ok)
  tool.use(unprefixed)
  app.use('/lti', tool)
  const answersAll = express.Router()
  answersAll.all('/any', (_req, _res, next) => { next() })
  app.use('/x', answersAll)
  app.use(methodNotAllowed(app))
  app.use((_req: unknown, res: express.Response) => { res.status(404).json({ error: { code: 'ERR_NOT_FOUND' } }) })
  return app
}

describe('405 Method Not Allowed from the app\'s own route table (RFC 9110 §15.5.6)', () => {
  const app = anApp()

  it('names the methods of a path across mounted routers, prefixes and mount parameters taken off, HEAD wherever GET is', () => {
    expect(allowedMethods(app, '/healthz')).toEqual(['GET', 'HEAD'])
    expect(allowedMethods(app, '/lti/login')).toEqual(['GET', 'HEAD', 'POST'])
    expect(allowedMethods(app, '/lti/groups/g-1')).toEqual(['GET', 'HEAD'])
    expect(allowedMethods(app, '/lti/groups/g-1/')).toEqual(['GET', 'HEAD'])
    expect(allowedMethods(app, '/lti/groups/g-1/members/p-2')).toEqual(['PUT'])
    // Two routes match /lti/tasks/uploads: the literal one (POST) and /tasks/:id (GET).
    expect(allowedMethods(app, '/lti/tasks/uploads')).toEqual(['GET', 'HEAD', 'POST'])
    expect(allowedMethods(app, '/LTI/Login')).toEqual(['GET', 'HEAD', 'POST'])
  })

  it('names nothing for a path no route has, a prefix that does not end at a segment, or a route that takes every method', () => {
    expect(allowedMethods(app, '/nothing')).toBeUndefined()
    expect(allowedMethods(app, '/ltix/login')).toBeUndefined()
    expect(allowedMethods(app, '/lti/groups')).toBeUndefined()
    expect(allowedMethods(app, '/x/any')).toBeUndefined()
  })

  it('answers 405 with Allow and the JSON error shape for a method the path lacks', async () => {
    const res = await request(app).delete('/lti/groups/g-1/members/p-2').expect(405)
    expect(res.headers.allow).toBe('PUT')
    expect(res.body).toEqual({ error: { code: 'ERR_METHOD_NOT_ALLOWED', message: 'DELETE is not a method of the resource at /lti/groups/g-1/members/p-2 (allowed: PUT)', field: 'method', rule: 'allowed-methods' } })
    expect((await request(app).head('/lti/launch').expect(405)).headers.allow).toBe('POST')
  })

  it('leaves to the 404: a method the path has (its route passed it on), an unknown path, OPTIONS, a bad parameter\'s 400', async () => {
    await request(app).get('/lti/static/nope.js').expect(404)
    await request(app).head('/lti/static/nope.js').expect(404)
    await request(app).put('/nothing').expect(404)
    await request(app).put('/x/any').expect(404)
    expect((await request(app).options('/lti/login').expect(200)).headers.allow).toBe('GET, HEAD, POST')
    await request(app).options('/nothing').expect(404)
    await request(app).put('/lti/tasks/%E0%A4%A').expect(400)
  })

  it('lists every route with its full pattern and methods', () => {
    expect(listRoutes(app)).toEqual([
      { path: '/healthz', methods: ['GET', 'HEAD'] },
      { path: '/lti/login', methods: ['GET', 'HEAD'] },
      { path: '/lti/login', methods: ['POST'] },
      { path: '/lti/launch', methods: ['POST'] },
      { path: '/lti/static/:file', methods: ['GET', 'HEAD'] },
      { path: '/lti/groups/:group/', methods: ['GET', 'HEAD'] },
      { path: '/lti/groups/:group/members/:person', methods: ['PUT'] },
      { path: '/lti/tasks/:id', methods: ['GET', 'HEAD'] },
      { path: '/lti/tasks/uploads', methods: ['POST'] },
      { path: '/x/any', methods: ['*'] },
    ])
  })
})
