import { useImageStore } from '../features/image/imageStore';
import { describeError } from './errorMessages';

/** The last failed open: human text from the one table, the server's precise message, the code. */
export function ErrorBanner() {
  const error = useImageStore((s) => s.error);
  const dismiss = useImageStore((s) => s.dismissError);
  if (!error) return null;
  const { title, detail } = describeError(error);
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-code={error.code}>
      <div>
        <strong>{title}</strong> <span className="error-code">[{error.code}]</span>
        <div className="error-detail">
          {detail.includes(error.path) ? detail : `${error.path}: ${detail}`}
        </div>
      </div>
      <button className="icon" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
