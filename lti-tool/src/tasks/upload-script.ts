import { uploadScript } from '../uploads/upload-script.ts'

/**
 * `/lti/static/task-upload.js`: the chunked, resumable upload of the task page (the shared
 * script of `uploads/upload-script.ts`): 256 KB chunks to `/lti/tasks/uploads/<id>?offset=<n>`,
 * resumed after a cut or a reload, a <progress> bar, then `complete` makes the next version.
 * Without this script the form posts the file in one multipart request instead.
 */
export const TASK_UPLOAD_SCRIPT = uploadScript({
  formId: 'tln-upload', fileInputId: 'tln-file', base: '/lti/tasks/uploads', ownerAttribute: 'data-assignment', ownerField: 'assignment', finish: 'complete',
})
