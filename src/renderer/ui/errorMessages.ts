import type { ErrorCode, SerializedError } from '../../shared/contract/errors';

/**
 * The ONE table from error code to the sentence a user reads. The server's message (which names the
 * file and the card, field or byte offset) is shown under it as the detail.
 */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  'fits.notFits': 'This file is not a FITS file.',
  'fits.truncated': 'The FITS file is truncated: it ends before the data its header announces.',
  'fits.badAxis': 'The FITS image has axes this viewer cannot show (it needs two image axes).',
  'fits.unsupportedBitpix': 'The FITS image uses an unsupported BITPIX (pixel type).',
  'fits.notImage': 'This FITS HDU holds no image (perhaps a table).',
  'fits.noSuchHdu': 'The requested HDU does not exist in this FITS file.',
  'fits.badCard': 'The FITS header has a malformed card.',
  'fits.io': 'The file could not be read.',
  'wcs.noCelestialAxes': 'The image has no celestial coordinate system; sky coordinates are unavailable.',
  'wcs.unsupportedProjection': 'The image uses a projection this viewer does not support.',
  'wcs.outOfDomain': 'That position lies outside the projection.',
  'wcs.badCoordinate': 'The coordinate is not valid.',
  'tiles.notFound': 'A tile of the image could not be loaded.',
  'image.notOpen': 'The image is no longer open; open it again.',
  validation: 'The request was not valid.',
  'auth.required': 'Not signed in: open the address printed by the server (it carries the access token).',
  notFound: 'Not found.',
  cancelled: 'Cancelled.',
  internal: 'Something went wrong inside CIRASA.',
  'catalogue.parseFailed': 'The catalogue file could not be read.',
  'store.newerSchema': 'The project database was written by a newer CIRASA version; update CIRASA to open it.',
  'store.corrupt': 'The project database is damaged or is not a CIRASA database.',
  'filter.parseFailed': 'The filter expression is not valid; the marked character shows where.',
  'jobs.backendUnreachable': 'The job backend (cluster, scheduler or server) could not be reached; check the address and that it is running.',
  'jobs.authFailed': 'The job backend refused the credentials (token, key or user name); renew or check them.',
  'jobs.submitFailed': 'The job backend refused to submit the job.',
  'jobs.badResponse': 'The job backend answered something CIRASA does not understand.',
  'jobs.hostKeyUnknown': "The SSH server's host key is not known yet; compare its fingerprint with the one your administrator publishes before accepting it.",
  'jobs.hostKeyChanged': "The SSH server's host key has CHANGED since it was accepted: the connection was refused (possible man-in-the-middle). Ask your administrator.",
  'jobs.commandFailed': 'A command on the cluster failed.',
  'jobs.outputsMissing': 'The job finished but its output files are missing.',
  'jobs.uploadTooLarge': 'The upload is larger than the server accepts.',
  'session.badFile': 'The session file is damaged or not a CIRASA session; nothing was changed.',
};

export function describeError(error: SerializedError): { title: string; detail: string } {
  const title = ERROR_MESSAGES[error.code] ?? ERROR_MESSAGES.internal;
  return { title, detail: error.message };
}
