import { useEffect, useRef, type ReactNode } from 'react';
import { PRODUCT_NAME } from '../../shared/i18n/locales.std.js';

/** The calm, centred frame of the screens shown before the vault is open. */
export function WelcomeFrame({ title, children }: { title: string; children: ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Screen reader users land on the heading of the new screen, not in the middle of a form.
    headingRef.current?.focus();
  }, []);
  return (
    <main className="welcome">
      <div className="welcome-card">
        <p className="brand brand-large" aria-hidden="true">
          <span className="brand-mark" />
          {PRODUCT_NAME}
        </p>
        <h1 ref={headingRef} tabIndex={-1} className="welcome-title">
          {title}
        </h1>
        {children}
      </div>
    </main>
  );
}
