// top_eigen: Householder tridiagonalization (Eigen) + LAPACK dstemr for the k largest eigenpairs.
// GCC 12 reports its own _mm512_undefined_ps() as maybe-uninitialized when Eigen's AVX-512
// code is inlined here (GCC bug 105593, fixed in 13): a false positive.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "reduce/top_eigen.h"

#include "reduce/pca_kernels.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <stdexcept>
#include <vector>

// LAPACK (Debian's liblapack3, or the OpenBLAS build of it): the Fortran symbol, with the hidden
// lengths gfortran passes for character arguments.
extern "C" void dstemr_(const char* jobz, const char* range, const int* n, double* d, double* e, const double* vl,
                        const double* vu, const int* il, const int* iu, int* m, double* w, double* z, const int* ldz,
                        const int* nzc, int* isuppz, int* tryrac, double* work, const int* lwork, int* iwork,
                        const int* liwork, int* info, std::size_t jobz_len, std::size_t range_len);

namespace latentscape::reduce::internal {
namespace {

void full_solver(const Eigen::MatrixXd& S, int k, Eigen::MatrixXd& vectors, Eigen::VectorXd& values) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(S);
    if (eig.info() != Eigen::Success) throw std::runtime_error("the symmetric eigensolver did not converge");
    // Eigen sorts eigenvalues increasingly: take the last k, reversed.
    vectors = eig.eigenvectors().rightCols(k).rowwise().reverse();
    values = eig.eigenvalues().tail(k).reverse();
}

/// dstemr on the tridiagonal (diag, sub) for eigenvalues il..iu (1-based, increasing); false if
/// it failed. Z is n x (iu - il + 1), eigenvalues increasing.
bool tridiagonal_range(Eigen::VectorXd diag, const Eigen::VectorXd& sub, int il, int iu, Eigen::MatrixXd& Z,
                       Eigen::VectorXd& w) {
    const int n = int(diag.size());
    const int want = iu - il + 1;
    std::vector<double> e(static_cast<std::size_t>(n), 0.0);  // dstemr uses e[n - 1] as workspace
    for (int i = 0; i + 1 < n; ++i) e[std::size_t(i)] = sub(i);
    w.resize(n);
    Z.resize(n, want);
    std::vector<int> isuppz(static_cast<std::size_t>(2 * std::max(1, want)));
    const double vl = 0, vu = 0;
    int m = 0, tryrac = 1, info = 0;
    const int ldz = std::max(1, n), nzc = want;
    // Workspace query, then the call.
    double work_size = 0;
    int iwork_size = 0;
    const int query = -1;
    dstemr_("V", "I", &n, diag.data(), e.data(), &vl, &vu, &il, &iu, &m, w.data(), Z.data(), &ldz, &nzc,
            isuppz.data(), &tryrac, &work_size, &query, &iwork_size, &query, &info, 1, 1);
    if (info != 0) return false;
    const int lwork = std::max(1, int(work_size)), liwork = std::max(1, iwork_size);
    std::vector<double> work(static_cast<std::size_t>(lwork));
    std::vector<int> iwork(static_cast<std::size_t>(liwork));
    tryrac = 1;
    dstemr_("V", "I", &n, diag.data(), e.data(), &vl, &vu, &il, &iu, &m, w.data(), Z.data(), &ldz, &nzc,
            isuppz.data(), &tryrac, work.data(), &lwork, iwork.data(), &liwork, &info, 1, 1);
    if (info != 0 || m != want) return false;
    w.conservativeResize(want);
    return Z.allFinite() && w.allFinite();
}

}  // namespace

void top_eigen(const Eigen::MatrixXd& S, int k, Eigen::MatrixXd& vectors, Eigen::VectorXd& values) {
    const int n = int(S.rows());
    if (k < 1 || k > n || S.cols() != n) throw std::invalid_argument("top_eigen: k must be between 1 and the size");
    single_threaded([&] {
        if (n < 3) {  // nothing to gain, and Eigen's tridiagonalization wants n >= 1 anyway
            full_solver(S, k, vectors, values);
            return;
        }
        const Eigen::Tridiagonalization<Eigen::MatrixXd> tri(S);
        Eigen::MatrixXd Z;
        Eigen::VectorXd w;
        if (!tridiagonal_range(tri.diagonal(), tri.subDiagonal(), n - k + 1, n, Z, w)) {
            full_solver(S, k, vectors, values);
            return;
        }
        // Strongest first, then back through the reflectors: V = Q Z.
        Z = Z.rowwise().reverse().eval();
        values = w.reverse();
        vectors = tri.matrixQ() * Z;
    });
}

}  // namespace latentscape::reduce::internal
