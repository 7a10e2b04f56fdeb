import { uploadScript } from '../uploads/upload-script.ts'

/**
 * `/lti/static/mentoring-upload.js`: the session form's evidence goes up in resumable 256 KB
 * chunks (the tasks' script, `uploads/upload-script.ts`) to `/lti/mentoring/uploads`, with a
 * <progress> bar; a cut connection resumes where the server stands. Once every byte is there the
 * form is submitted with the upload's id in its `upload` field instead of the file. No script →
 * the form posts the file in one multipart request as before.
 */
export const MENTORING_UPLOAD_SCRIPT = uploadScript({
  formId: 'tln-session-form', fileInputId: 'f-file', base: '/lti/mentoring/uploads', ownerAttribute: 'data-relation', ownerField: 'relation', finish: 'form',
})
